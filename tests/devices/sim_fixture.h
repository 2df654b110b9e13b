// The device simulator (tests/sim, binary switchyard-sim) for driver
// integration tests: N devices on consecutive ports, platforms round-robin,
// key and password login, its own known_hosts; stopped afterwards.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "devices/inventory.h"
#include "devices/ssh_session.h"
#include "process.h"

namespace switchyard::devices::testing {

struct SimDevice {
    Device device;
    std::string username;
};

class SimFixture {
public:
    // `extra` are more switchyard-sim arguments (faults, latency ...).
    SimFixture(int count, const std::string& platforms, const std::string& prefix,
               const std::vector<std::string>& extra = {});
    ~SimFixture();
    SimFixture(const SimFixture&) = delete;
    SimFixture& operator=(const SimFixture&) = delete;

    const std::vector<SimDevice>& devices() const { return devices_; }
    const SimDevice& device(const std::string& hostname) const;
    std::string known_hosts() const { return dir_ + "/known_hosts"; }
    std::string client_key() const { return dir_ + "/client_key"; }
    const std::string& dir() const { return dir_; }
    // Key credentials for every simulated device.
    Credentials key_credentials() const;
    // Strict host-key checking against the simulator's known_hosts.
    SshOptions strict_options() const;
    // One control-socket request (tests/sim/README.md) and its reply.
    nlohmann::json control(const nlohmann::json& request) const;

private:
    std::string dir_;
    std::unique_ptr<ChildProcess> sim_;
    std::vector<SimDevice> devices_;
};

// Where the build put switchyard-sim (compile definition from CMake).
std::string sim_binary();

}  // namespace switchyard::devices::testing
