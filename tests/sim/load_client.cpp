// switchyard-sim-load: opens one SSH session per inventory device, all at the
// same time, runs `show running-config` on each over an exec channel, holds
// every session open until all have answered, then reports timings. Used to
// check that the simulator serves 1,000 devices at once. With --hold the
// sessions stay open, idle (no channel), after the report until the client is
// killed: the simulator's cost per idle connection can then be measured.
#include <libssh/libssh.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace {

struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    int answered = 0;
    int failed = 0;
    int total = 0;
    bool hold = false;  // keep every session open until the process is killed
};

bool run_one(const nlohmann::json& dev, const std::string& key_file, const std::string& password, Shared& sh,
             std::string& error) {
    ssh_session s = ssh_new();
    std::string host = dev.at("management_ip");
    int port = dev.at("port");
    std::string user = dev.value("username", "admin");
    long timeout = 60;
    ssh_options_set(s, SSH_OPTIONS_HOST, host.c_str());
    ssh_options_set(s, SSH_OPTIONS_PORT, &port);
    ssh_options_set(s, SSH_OPTIONS_USER, user.c_str());
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
    bool ok = false;
    if (ssh_connect(s) != SSH_OK) {
        error = ssh_get_error(s);
    } else {
        int rc = SSH_AUTH_DENIED;
        if (!key_file.empty()) {
            ssh_key key = nullptr;
            if (ssh_pki_import_privkey_file(key_file.c_str(), nullptr, nullptr, nullptr, &key) == SSH_OK) {
                rc = ssh_userauth_publickey(s, nullptr, key);
                ssh_key_free(key);
            }
        } else {
            rc = ssh_userauth_password(s, nullptr, password.c_str());
        }
        ssh_channel ch = rc == SSH_AUTH_SUCCESS ? ssh_channel_new(s) : nullptr;
        if (!ch) {
            error = "auth failed: " + std::string(ssh_get_error(s));
        } else if (ssh_channel_open_session(ch) == SSH_OK &&
                   ssh_channel_request_exec(
                       ch, dev.at("platform") == "junos" ? "show configuration" : "show running-config") == SSH_OK) {
            std::string out;
            char buf[4096];
            int n;
            while ((n = ssh_channel_read(ch, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
            ok = out.find(dev.at("hostname").get<std::string>()) != std::string::npos;
            if (!ok) error = "unexpected output";
            ssh_channel_close(ch);
        } else {
            error = ssh_get_error(s);
        }
        if (ch) ssh_channel_free(ch);
    }
    {
        // Hold the session until every device has answered: that is the
        // "N concurrent sessions" point of the measurement.
        std::unique_lock lk(sh.mu);
        ++sh.answered;
        if (!ok) ++sh.failed;
        sh.cv.notify_all();
        sh.cv.wait(lk, [&] { return sh.answered == sh.total && !sh.hold; });
    }
    ssh_disconnect(s);
    ssh_free(s);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Open one SSH session per simulated device at once and time it"};
    std::string inventory, key_file, password = "admin";
    bool sh_hold = false;
    int limit = 0;
    app.add_option("--inventory", inventory, "Inventory JSON written by switchyard-sim")->required();
    app.add_option("--key", key_file, "Private key for public-key auth (else password)");
    app.add_option("--password", password, "Password when no --key");
    app.add_option("--limit", limit, "Use only the first N devices");
    app.add_flag("--hold", sh_hold, "After the report, keep every session open (idle) until killed");
    CLI11_PARSE(app, argc, argv);

    std::ifstream in(inventory);
    auto devices = nlohmann::json::parse(in);
    if (limit > 0 && static_cast<size_t>(limit) < devices.size()) devices.erase(devices.begin() + limit, devices.end());
    ssh_init();
    Shared sh;
    sh.total = static_cast<int>(devices.size());
    sh.hold = sh_hold;
    std::vector<std::thread> threads;
    std::mutex err_mu;
    std::string first_error;
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& d : devices)
        threads.emplace_back([&, d] {
            std::string err;
            if (!run_one(d, key_file, password, sh, err)) {
                std::lock_guard lk(err_mu);
                if (first_error.empty()) first_error = d.at("hostname").get<std::string>() + ": " + err;
            }
        });
    auto report = [&] {
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::lock_guard lk(err_mu);
        std::cout << nlohmann::json{{"sessions", sh.total},
                                    {"failed", sh.failed},
                                    {"seconds", secs},
                                    {"first_error", first_error},
                                    {"holding", sh.hold}}
                         .dump()
                  << std::endl;
    };
    if (sh.hold) {
        {
            std::unique_lock lk(sh.mu);
            sh.cv.wait(lk, [&] { return sh.answered == sh.total; });
        }
        report();  // first_error may be empty: the failed threads are holding too
        for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // sessions stay open until we are killed
    }
    for (auto& t : threads) t.join();
    report();
    ssh_finalize();
    return sh.failed == 0 ? 0 : 1;
}
