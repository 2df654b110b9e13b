// The simulator, an engine and the API in one test process, with the
// device sync tasks registered: what end-to-end sync tests start from
// (sync_e2e_test.cpp, hostile_devices_test.cpp).
#pragma once

#include "api_server_fixture.h"
#include "child_process.h"
#include "simulated_devices.h"
#include "sync_access.h"

#include "templates/render.h"

#include <httplib.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <random>

namespace switchyard::testing {

using nlohmann::json;
using namespace std::chrono_literals;

// Commit-confirm timers in these tests: far longer than any test, so no
// timer runs out while the code under test still works (however loaded the
// machine); a test that wants a device to roll back makes its timer run out
// through the simulator's control socket (expire_timer).
constexpr std::chrono::seconds kTimer{600};

struct SyncFixture : ApiServerFixture {
    std::string dir;
    std::unique_ptr<ChildProcess> sim;

    explicit SyncFixture(int devices = 6) {
        dir = "/tmp/sy-sync-" + std::to_string(getpid()) + "-" + std::to_string(std::rand());
        std::filesystem::create_directories(dir);
        // Ports below the ephemeral range.
        sim = start_simulated_devices(url, dir, devices, 10000, 5);
        settings.credentials["default"] = {"admin", "admin", "", "", ""};
        settings.sync.lock_wait_seconds = Seconds(1);
        settings.sync.confirm_timer_seconds = kTimer;
        settings.jobs.progress_flush_ms = Milliseconds(100);
        // Made when a job runs, from the settings as a test left them.
        tasks::register_sync_tasks(registry, [this] { return make_sync_environment(settings, url); });
        start();
        start_api(20s);
    }
    ~SyncFixture() {
        server->stop();
        sim->signal(SIGTERM);
        sim->wait(10s);
        std::filesystem::remove_all(dir);
    }

    // The user the sync tests act as.
    std::string token(api::Role role) { return ApiServerFixture::token(role, "netops"); }
    // POST /api/v1.0<route> as netops with `role`.
    httplib::Result post(const std::string& route, const json& body, api::Role role = api::Role::operator_) {
        return client->Post(("/api/v1.0" + route).c_str(), {{"Authorization", "Bearer " + token(role)}}, body.dump(),
                            "application/json");
    }
    // The job a route that schedules one answered with (200, its data
    // beginning with `said`).
    std::int64_t scheduled_job(const httplib::Result& r, const std::string& said) {
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        auto b = json::parse(r->body);
        CHECK(b["data"].get<std::string>().rfind(said, 0) == 0);
        return b["job_id"];
    }
    // GET /api/v1.0<path> as a reader: the data of its answer, which must be 200.
    json api_get(const std::string& path) {
        auto r = client->Get(("/api/v1.0" + path).c_str(), {{"Authorization", "Bearer " + token(api::Role::read)}});
        REQUIRE(r);
        INFO(path << ": " << r->body);
        REQUIRE(r->status == 200);
        return json::parse(r->body)["data"];
    }
    httplib::Result syncto(const json& body) { return post("/device_syncto", body); }
    std::int64_t schedule(const json& body) { return scheduled_job(syncto(body), "Scheduled job to synchronize"); }
    json ended(std::int64_t id) {
        REQUIRE(wait_for(
            [&] {
                auto s = status(id);
                return s == "FINISHED" || s == "EXCEPTION" || s == "ABORTED";
            },
            60s));
        return job(id);
    }
    std::string sim_ctl(const json& request) {
        auto [code, out] = run_command({SWITCHYARD_SIM, "--state-dir", dir + "/sim", "--ctl", request.dump()});
        REQUIRE(code == 0);
        return out;
    }
    // The device's commit timer runs out now (the simulator rolls it back).
    void expire_timer(const std::string& host) {
        auto out = sim_ctl({{"op", "expire_timer"}, {"host", host}});
        INFO(out);
        REQUIRE(json::parse(out.substr(out.find('{')))["ok"] == true);
    }
    // Replaces the device's faults (tests/sim/README.md, "Faults").
    void faults(const std::string& host, const json& spec) {
        auto out = sim_ctl({{"op", "faults"}, {"host", host}, {"faults", spec}});
        REQUIRE(json::parse(out.substr(out.find('{')))["ok"] == true);
    }
    // `host` refuses a line of its intended config (an interface description
    // "refused-here"), as a device refuses a command it does not know.
    void refuse_a_line(const std::string& host) {
        if (!std::filesystem::exists(dir + "/settings"))
            std::filesystem::copy(templates::bundled_settings_dir(), dir + "/settings",
                                  std::filesystem::copy_options::recursive);
        settings.sync.settings_dir = dir + "/settings";
        std::ofstream(dir + "/settings/devices/" + host + ".yml")
            << "interfaces:\n  - name: eth1\n    description: refused-here\n";
        faults(host, {{"command_error", {"description refused-here"}}});
    }
    json sim_device(const std::string& host) {
        auto out = sim_ctl({{"op", "status"}, {"host", host}});
        return json::parse(out.substr(out.find('{')))["device"];
    }
    // What the simulator's devices were asked so far, per platform
    // (tests/sim/traffic.h): {"frr": {"sessions": N, "config_reads": N, ...}, ...}.
    json sim_traffic() {
        auto out = sim_ctl({{"op", "stats"}});
        return json::parse(out.substr(out.find('{')))["traffic"];
    }
    std::string sim_config(const std::string& host) {
        return json::parse(sim_ctl({{"op", "get"}, {"host", host}}))["config"];
    }
    std::string task_result(const json& job, const std::string& host, int task = 2) {
        return job["result"]["devices"][host]["job_tasks"][task]["result"].get<std::string>();
    }
};

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace switchyard::testing
