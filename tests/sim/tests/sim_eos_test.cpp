// eos personality over real SSH: sessions, diffs, commit, commit timer.
#include <catch2/catch.hpp>

#include "sim_harness.h"

using simtest::contains;

namespace {
std::vector<std::string> eos_args(const std::string& port) { return simtest::one_device_args("eos", "eos", port); }
}  // namespace

TEST_CASE("eos: exec show running-config and privilege", "[sim][ssh][eos]") {
    simtest::Sim sim(eos_args("23201"));
    auto r = sim.exec("eos0001", "show running-config");
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("! Command: show running-config\n! device: eos0001 (", 0) == 0);
    CHECK(contains(r.out, "\nhostname eos0001\n"));
    CHECK(r.out.substr(r.out.size() - 5) == "\nend\n");
    auto shell = sim.shell("eos0001", "show running-config\nenable\nexit\n");
    CHECK(contains(shell.out, "eos0001>show running-config\r\n% Invalid input (privileged mode required)\r\neos0001>"));
    CHECK(contains(shell.out, "eos0001#exit\r\n"));
}

TEST_CASE("eos: configure session with rollback clean-config, diffs and commit", "[sim][ssh][eos]") {
    simtest::Sim sim(eos_args("23211"));
    simtest::check_shell(sim, "eos0001",
                         "enable\n"
                         "terminal length 0\n"
                         "configure session sync01\n"
                         "rollback clean-config\n"
                         "hostname eos0001\n"
                         "interface Ethernet1\n"
                         "   description uplink\n"
                         "   no switchport\n"
                         "ip routing\n"
                         "show session-config diffs\n"
                         "commit\n"
                         "write memory\n"
                         "exit\n",
                         {
                             "eos0001(config-s-sync01)#rollback clean-config\r\n",
                             "eos0001(config-s-sync01-if-Et1)#   description uplink\r\n",
                             "--- system:/running-config\r\n+++ session:/sync01-session-config\r\n@@ ",
                             "\r\n+   description uplink\r\n",
                             "\r\n-no aaa root\r\n",
                             "eos0001(config-s-sync01)#commit\r\neos0001#",
                             "Copy completed successfully.\r\n",
                         });
    CHECK(sim.running("eos0001") ==
          "hostname eos0001\ninterface Ethernet1\n   description uplink\n   no switchport\nip routing\n");
}

TEST_CASE("eos: commit timer rolls back unless the session is confirmed", "[sim][ssh][eos]") {
    simtest::Sim sim(eos_args("23221"));
    const std::string before = sim.running("eos0001");
    // The timer starts at the commit, after this point: the rollback cannot be
    // seen sooner than 2 s from here, however slow the session is.
    const auto before_commit = std::chrono::steady_clock::now();
    auto r = sim.shell("eos0001", "enable\nconfigure session t1\nhostname changed1\ncommit timer 00:00:02\nexit\n");
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "changed1#"));  // the prompt follows the committed hostname
    simtest::check_timer_rolled_back(sim, "eos0001", before, before_commit, std::chrono::seconds(2));

    // Confirmed from a second SSH session, as a driver does after verifying
    // (a timer far longer than the test, so only the confirm can end it).
    auto r2 = sim.shell("eos0001", "enable\nconfigure session t2\nhostname changed2\ncommit timer 01:00:00\nexit\n");
    REQUIRE(r2.status == 0);
    auto confirm = sim.shell("eos0001", "enable\nconfigure session t2 commit\nexit\n");
    CHECK_FALSE(contains(confirm.out, "% "));
    auto status = sim.control({{"op", "status"}, {"host", "eos0001"}});
    CHECK(status["device"]["pending_rollback"] == false);
    auto wrong = sim.shell("eos0001", "enable\nconfigure session nosuch commit\nexit\n");
    CHECK(contains(wrong.out, "% Session nosuch has no pending commit timer"));
    CHECK(contains(sim.running("eos0001"), "hostname changed2"));
}

TEST_CASE("eos: abort discards the session", "[sim][ssh][eos]") {
    simtest::Sim sim(eos_args("23231"));
    const std::string before = sim.running("eos0001");
    auto r = sim.shell("eos0001", "enable\nconfigure session a1\nhostname nope\nabort\nexit\n");
    REQUIRE(r.status == 0);
    CHECK(sim.running("eos0001") == before);
}
