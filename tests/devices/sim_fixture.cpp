#include "sim_fixture.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "process.h"

namespace switchyard::devices::testing {

std::string sim_binary() { return SY_SIM_BINARY; }

SimFixture::SimFixture(int count, const std::string& platforms, const std::string& prefix,
                       const std::vector<std::string>& extra)
    : dir_(make_temp_dir("sy-devices-sim")) {
    if (run_command({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", client_key()}).first != 0)
        throw std::runtime_error("ssh-keygen failed");
    int base = free_port_range(count);
    std::vector<std::string> argv{
        sim_binary(), "--state-dir",         dir_,          "--authorized-keys",  client_key() + ".pub",
        "--devices",  std::to_string(count), "--base-port", std::to_string(base), "--platforms",
        platforms,    "--hostname-prefix",   prefix};
    argv.insert(argv.end(), extra.begin(), extra.end());
    int out = -1;
    sim_ = std::make_unique<ChildProcess>(argv, dir_ + "/sim.stderr", &out);
    // The simulator prints a ready line once every device listens; a
    // sanitizer build gets generous time.
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    pollfd p{out, POLLIN, 0};
    while (seen.find("switchyard-sim ready") == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[512];
        ssize_t n = read(out, buf, sizeof buf);
        if (n <= 0) break;
        seen.append(buf, static_cast<std::size_t>(n));
    }
    close(out);
    if (seen.find("switchyard-sim ready") == std::string::npos) {
        sim_.reset();  // killed
        std::string err = read_file(dir_ + "/sim.stderr");
        throw std::runtime_error("switchyard-sim did not become ready: " + seen + err);
    }
    // The simulator's inventory.json is a device list our parser reads.
    for (auto& d : load_inventory_file(dir_ + "/inventory.json")) devices_.push_back({d, "admin"});
}

SimFixture::~SimFixture() {
    if (sim_) sim_->stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

const SimDevice& SimFixture::device(const std::string& hostname) const {
    for (auto& d : devices_)
        if (d.device.hostname == hostname) return d;
    throw std::runtime_error("no simulated device " + hostname);
}

Credentials SimFixture::key_credentials() const {
    Credentials c;
    c.username = "admin";
    c.key_file = client_key();
    return c;
}

nlohmann::json SimFixture::control(const nlohmann::json& request) const {
    return nlohmann::json::parse(run_command({sim_binary(), "--state-dir", dir_, "--ctl", request.dump()}).second);
}

SshOptions SimFixture::strict_options() const {
    SshOptions o;
    o.host_key_policy = HostKeyPolicy::strict;
    o.known_hosts_file = known_hosts();
    o.connect_timeout = std::chrono::seconds(10);
    o.command_timeout = std::chrono::seconds(30);
    return o;
}

}  // namespace switchyard::devices::testing
