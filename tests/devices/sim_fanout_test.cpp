// fetch_running_configs over the fan-out pool against many simulated
// devices, with faulty ones among them.
#include <catch2/catch.hpp>

#include "devices/fetch.h"
#include "sim_fixture.h"

using namespace switchyard::devices;
using namespace switchyard::devices::testing;
using namespace std::chrono_literals;

TEST_CASE("sim: fetch from many devices; refused and hanging ones fail alone", "[devices][sim][fanout]") {
    SimFixture sim(24, "frr,eos,junos", "fan",
                   {"--latency-ms", "20", "--fault", "fan0003:refuse_connection", "--fault", "fan0005:hang", "--fault",
                    "fan0007:hang_commands"});
    std::vector<Device> devices;
    for (auto& d : sim.devices()) devices.push_back(d.device);
    auto ssh = sim.strict_options();
    ssh.connect_timeout = 2s;
    FanoutOptions fan;
    fan.concurrency = 8;
    fan.deadline = 6s;
    fan.max_attempts = 3;
    fan.retry_backoff = 50ms;
    std::size_t reported = 0;
    auto start = std::chrono::steady_clock::now();
    auto results =
        fetch_running_configs(devices, sim.key_credentials(), ssh, fan, [&](const FetchResult&) { ++reported; });
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(reported == devices.size());
    REQUIRE(results.size() == devices.size());
    for (auto& r : results) {
        INFO(r.hostname << ": " << r.error);
        if (r.hostname == "fan0003") {
            CHECK_FALSE(r.ok);
            CHECK(r.attempts == 3);  // refused is transient: retried
            CHECK(r.error.find("refused") != std::string::npos);
        } else if (r.hostname == "fan0005" || r.hostname == "fan0007") {
            CHECK_FALSE(r.ok);  // no banner / no answer: connect timeout or the deadline
        } else {
            CHECK(r.ok);
            CHECK(r.confhash.size() == 64);
            CHECK(r.config.find(r.hostname) != std::string::npos);
        }
    }
    CHECK(took < 60s);  // generous: the faulty ones never hold the rest
}
