// The device simulator (tests/sim) as the engine and API tests start it, for
// targets that define SWITCHYARD_SIM (its path).
#pragma once

#include "child_process.h"
#include "devices/device_store.h"
#include "devices/inventory.h"
#include "store/database.h"
#include "support/wait_for.h"

#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace switchyard::testing {

// Starts `devices` simulated devices (frr, eos, junos in turn), `latency_ms`
// away, with their state in dir/sim and the simulator's log in dir/sim.log,
// and imports them into the inventory of the database at `database_url`.
// Their ports are a range drawn from lowest_port up; another test run or
// benchmark may hold some, so a busy range is retried elsewhere.
inline std::unique_ptr<ChildProcess> start_simulated_devices(const std::string& database_url, const std::string& dir,
                                                             int devices, int lowest_port, int latency_ms) {
    std::unique_ptr<ChildProcess> sim;
    std::random_device random;
    for (int attempt = 1; attempt <= 5; ++attempt) {
        int base_port = lowest_port + static_cast<int>(random() % 2000) * 10;
        sim = std::make_unique<ChildProcess>(
            std::vector<std::string>{SWITCHYARD_SIM, "--state-dir", dir + "/sim", "--devices", std::to_string(devices),
                                     "--base-port", std::to_string(base_port), "--platforms", "frr,eos,junos",
                                     "--latency-ms", std::to_string(latency_ms)},
            dir + "/sim.log");
        REQUIRE(
            wait_for([&] { return sim->log().find("switchyard-sim ready") != std::string::npos || !sim->running(); },
                     std::chrono::seconds(30)));
        if (sim->running() || sim->log().find("Address already in use") == std::string::npos) break;
    }
    INFO(sim->log());
    REQUIRE(sim->running());
    auto c = store::connect(database_url, std::chrono::seconds(5));
    devices::DeviceStore(*c).upsert_all(devices::load_inventory_file(dir + "/sim/inventory.json"));
    return sim;
}

}  // namespace switchyard::testing
