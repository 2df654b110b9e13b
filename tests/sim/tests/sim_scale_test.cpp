// The simulator at size: devices with real-size configs (--config-lines) and
// many idle SSH sessions. A device costs memory for its config but no thread;
// a session costs one small-stack thread, given back when it ends. The
// figures are printed (the README's Scale table has release-build ones).
#include <catch2/catch.hpp>

#include <iostream>

#include "sim_harness.h"

using simtest::contains;

namespace {

#if defined(__SANITIZE_ADDRESS__)
// ASan keeps freed memory in quarantine and gives session threads a 2 MiB stack.
constexpr long kMaxKbPerIdleSession = 4096;
#else
constexpr long kMaxKbPerIdleSession = 512;
#endif

long stat_of(const nlohmann::json& stats, const char* key) { return stats.at(key).get<long>(); }

}  // namespace

TEST_CASE("scale: real-size configs on many devices, idle sessions cost a bounded thread each", "[sim][ssh][scale]") {
    constexpr int kDevices = 300, kIdle = 100;
    simtest::Sim sim({"--devices", std::to_string(kDevices), "--base-port", "23701", "--platforms", "frr,eos,junos",
                      "--config-lines", "2000"});
    const auto before = sim.control({{"op", "stats"}});
    REQUIRE(stat_of(before, "devices") == kDevices);
    // Devices without sessions have no thread: main, accept loop, rollback timer.
    CHECK(stat_of(before, "threads") < 8);

    // Each device shows about 2,000 lines of its own.
    for (const char* host : {"sim0001", "sim0002", "sim0003"}) {
        INFO(host);
        auto r = sim.exec(host, host == std::string("sim0003") ? "show configuration" : "show running-config");
        REQUIRE(r.status == 0);
        const auto lines = std::count(r.out.begin(), r.out.end(), '\n');
        CHECK(lines >= 1960);
        CHECK(lines <= 2046);
    }
    CHECK(sim.exec("sim0004", "show running-config").out != sim.exec("sim0001", "show running-config").out);

    // kIdle sessions authenticate, read their config, then stay open with no
    // channel (as a pooled client's would) while the stats are taken.
    nlohmann::json held;
    auto load = simtest::run({LOAD_BINARY, "--inventory", (sim.state_dir() / "inventory.json").string(), "--key",
                              simtest::client_key().private_key.string(), "--limit", std::to_string(kIdle), "--hold"},
                             "", 300, [&](const simtest::CmdResult& so_far) {
                                 if (!contains(so_far.out, "\"holding\":true")) return false;
                                 held = sim.control({{"op", "stats"}});
                                 return true;  // kill the client: its sessions drop
                             });
    INFO("load client: " << load.out << load.err);
    REQUIRE(held.is_object());
    CHECK(contains(load.out, "\"failed\":0"));
    CHECK(stat_of(held, "active_sessions") == kIdle);
    CHECK(stat_of(held, "threads") == stat_of(before, "threads") + kIdle);
    const long per_session_kb = (stat_of(held, "rss_kb") - stat_of(before, "rss_kb")) / kIdle;
    std::cout << "switchyard-sim: " << kDevices << " devices of 2,000 lines: " << stat_of(before, "rss_kb") / 1024
              << " MB RSS without sessions, " << stat_of(before, "threads") << " threads; " << kIdle
              << " idle sessions: +" << per_session_kb << " KB RSS and one thread each\n";
    CHECK(per_session_kb <= kMaxKbPerIdleSession);

    // The dropped sessions' threads end.
    CHECK(simtest::wait_until(
        [&] {
            return stat_of(sim.control({{"op", "stats"}}), "active_sessions") == 0;
        },
        std::chrono::seconds(60)));
    CHECK(simtest::wait_until(
        [&] {
            return stat_of(sim.control({{"op", "stats"}}), "threads") == stat_of(before, "threads");
        },
        std::chrono::seconds(30)));
}
