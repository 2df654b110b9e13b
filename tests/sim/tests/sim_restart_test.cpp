// State survives a restart; SIGTERM stops cleanly; the control socket's
// out-of-band set/get round-trips.
#include <catch2/catch.hpp>

#include "sim_harness.h"

using simtest::contains;

TEST_CASE("restart keeps running configs and host keys", "[sim][ssh][restart]") {
    simtest::TempDir state;
    std::vector<std::string> args = {"--devices", "3", "--base-port", "23501", "--platforms", "frr,eos,junos"};
    std::string fingerprint;
    {
        simtest::Sim sim(args, state.path);
        fingerprint = sim.device("sim0002").at("host_key_fingerprint");
        auto set = sim.control({{"op", "set"},
                                {"host", "sim0001"},
                                {"config", "hostname oob\n!\ninterface lo\n ip address 10.9.9.9/32\nexit\n"}});
        REQUIRE(set["ok"] == true);
        auto shown = sim.exec("sim0001", "show running-config");
        CHECK(contains(shown.out, "hostname oob\n!\ninterface lo\n ip address 10.9.9.9/32\nexit\n"));
        auto get = sim.control({{"op", "get"}, {"host", "sim0001"}});
        CHECK(get["config"] == shown.out);
        auto bad = sim.control({{"op", "set"}, {"host", "sim0003"}, {"config", "system {"}});
        CHECK(bad["ok"] == false);
        sim.stop();
        CHECK(sim.exit_status() == 0);
        CHECK(contains(sim.stderr_text(), "switchyard-sim stopped"));
    }
    simtest::Sim again(args, state.path);
    CHECK(again.device("sim0002").at("host_key_fingerprint") == fingerprint);
    CHECK(again.running("sim0001") == "hostname oob\ninterface lo\n ip address 10.9.9.9/32\n");
    // The fingerprint matches what ssh-keygen computes from the served key.
    auto r = simtest::run({"ssh-keygen", "-lf", (state.path / "known_hosts").string()});
    CHECK(contains(r.out, fingerprint));
}

TEST_CASE("many devices on one simulator", "[sim][ssh][scale]") {
    simtest::Sim sim({"--devices", "60", "--base-port", "23601", "--platforms", "frr,eos,junos", "--latency-ms", "20"});
    auto stats = sim.control({{"op", "stats"}});
    CHECK(stats["devices"] == 60);
    auto r = sim.exec("sim0060", "show configuration");
    CHECK(contains(r.out, "host-name sim0060;"));
}
