// junos personality over real SSH: load override, compare, commit confirmed.
#include <catch2/catch.hpp>

#include "sim_harness.h"

using simtest::contains;

namespace {
std::vector<std::string> junos_args(const std::string& port) {
    auto args = simtest::one_device_args("junos", "jun", port);
    args.insert(args.end(), {"--confirm-minute-seconds", "1"});
    return args;
}
const char* kNewConfig =
    "system {\n"
    "    host-name jun0001;\n"
    "}\n"
    "interfaces {\n"
    "    ge-0/0/0 {\n"
    "        unit 0 {\n"
    "            family inet {\n"
    "                address 192.0.2.1/31;\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n";
}  // namespace

TEST_CASE("junos: show configuration over exec", "[sim][ssh][junos]") {
    simtest::Sim sim(junos_args("23301"));
    auto r = sim.exec("jun0001", "show configuration");
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("## Last commit: ", 0) == 0);
    CHECK(contains(r.out, "\nversion 20.4R3.8;\nsystem {\n    host-name jun0001;\n"));
}

TEST_CASE("junos: load override terminal, show | compare, commit", "[sim][ssh][junos]") {
    simtest::Sim sim(junos_args("23311"));
    simtest::check_shell(sim, "jun0001",
                         std::string("set cli screen-length 0\nconfigure private\nload override terminal\n") +
                             kNewConfig + "\x04" + "show | compare\ncommit check\ncommit\nexit\nexit\n",
                         {
                             "admin@jun0001> configure private\r\n",
                             "Entering configuration mode\r\n\r\n[edit]\r\nadmin@jun0001# load override terminal\r\n"
                             "[Type ^D at a new line to end input]\r\n",
                             "load complete\r\n",
                             "[edit interfaces]\r\n-   lo0 {\r\n",
                             "+   ge-0/0/0 {\r\n",
                             "-   lo0 {\r\n",
                             "configuration check succeeds\r\n",
                             "commit complete\r\n",
                         });
    CHECK(sim.running("jun0001") == kNewConfig);
    auto show = sim.exec("jun0001", "show configuration");
    CHECK(contains(show.out, "by admin\n"));
}

TEST_CASE("junos: commit confirmed rolls back unless a commit follows", "[sim][ssh][junos]") {
    simtest::Sim sim(junos_args("23321"));
    const std::string before = sim.running("jun0001");
    // The timer starts at the commit, after this point: the rollback cannot be
    // seen sooner than 2 s from here, however slow the session is.
    const auto before_commit = std::chrono::steady_clock::now();
    auto r = sim.shell("jun0001", std::string("configure exclusive\nload override terminal\n") + kNewConfig + "\x04" +
                                      "commit confirmed 2\nexit\nexit\n");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "commit confirmed will be automatically rolled back in 2 minutes unless confirmed\r\n"));
    // --confirm-minute-seconds 1: two "minutes" are two seconds.
    simtest::check_timer_rolled_back(sim, "jun0001", before, before_commit, std::chrono::seconds(2));

    // A timer far longer than the test, so only the commit can end it.
    auto r2 = sim.shell("jun0001", std::string("configure\nload override terminal\n") + kNewConfig + "\x04" +
                                       "commit confirmed 600\ncommit\nexit\nexit\n");
    REQUIRE(r2.status == 0);
    CHECK(sim.control({{"op", "status"}, {"host", "jun0001"}})["device"]["pending_rollback"] == false);
    CHECK(sim.running("jun0001") == kNewConfig);
}

TEST_CASE("junos: rollback 0 and the uncommitted-exit question", "[sim][ssh][junos]") {
    simtest::Sim sim(junos_args("23331"));
    const std::string before = sim.running("jun0001");
    auto r = sim.shell("jun0001", std::string("configure\nload override terminal\n") + kNewConfig + "\x04" +
                                      "rollback 0\nshow | compare\nload merge terminal\nsnmp { community x; }\n\x04" +
                                      "exit\nyes\nexit\n");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out,
                   "admin@jun0001# rollback 0\r\nload complete\r\n\r\n[edit]\r\nadmin@jun0001# show | compare\r\n"
                   "\r\n[edit]\r\n"));
    CHECK(contains(r.out, "Exit with uncommitted changes? [yes,no] (yes) yes\r\nExiting configuration mode\r\n"));
    CHECK(sim.running("jun0001") == before);
}
