#include <catch2/catch.hpp>

#include <algorithm>

#include "devices/defaults.h"
#include "devices/driver.h"
#include "devices/errors.h"
#include "devices/frr_driver.h"
#include "fake_cli.h"

using namespace switchyard::devices;
using switchyard::devices::testing::FakeCli;
using namespace std::chrono_literals;

namespace {
bool typed(const FakeCli& cli, const std::string& line) {
    return std::find(cli.typed.begin(), cli.typed.end(), line) != cli.typed.end();
}
std::ptrdiff_t pos(const FakeCli& cli, const std::string& line) {
    return std::find(cli.typed.begin(), cli.typed.end(), line) - cli.typed.begin();
}
// An EOS CLI in privileged mode with no configure session open.
FakeCli privileged_eos() {
    FakeCli cli;
    cli.current_prompt = "sw1#";
    cli.shell_answers["show configuration sessions detail | json"] = R"({"sessions": {}})";
    return cli;
}
// The driver's configure session was aborted by name from the top level:
// `abort` in a sub-mode only exits it (ansible#36979), so `end` comes first.
void check_session_aborted(const FakeCli& cli) {
    REQUIRE(cli.typed.size() >= 2);
    CHECK(cli.typed[cli.typed.size() - 2] == "end");
    CHECK(cli.typed.back().rfind("configure session sy", 0) == 0);
    CHECK(cli.typed.back().ends_with(" abort"));
}
const char* kFrrRunning =
    "Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4\nfrr defaults traditional\n"
    "hostname r1\n!\ninterface eth0\n description old\nexit\n!\nend\n";
}  // namespace

TEST_CASE("prompt patterns match every mode of each platform", "[devices][driver]") {
    auto frr = prompt_pattern(Platform::frr);
    CHECK(frr.search("r1# "));
    CHECK(frr.search("r1(config)# "));
    CHECK(frr.search("r1(config-router-af)#"));
    CHECK_FALSE(frr.search(" description r1#x"));
    auto eos = prompt_pattern(Platform::eos);
    CHECK(eos.search("sw1>"));
    CHECK(eos.search("sw1#"));
    CHECK(eos.search("sw1(config-s-sy1a2b)#"));
    CHECK(eos.search("sw1(config-s-sy1a2b-if-Et1)# "));
    auto junos = prompt_pattern(Platform::junos);
    CHECK(junos.search("admin@j1> "));
    CHECK(junos.search("admin@j1# "));
    CHECK_FALSE(junos.search("j1> "));
}

TEST_CASE("error markers become CommandError", "[devices][driver]") {
    CHECK_NOTHROW(check_output(Platform::frr, "r1", "x", "fine\n"));
    CHECK_THROWS_AS(check_output(Platform::frr, "r1", "x", "% Unknown command: x\n"), CommandError);
    CHECK_THROWS_AS(check_output(Platform::eos, "s1", "x", "% Invalid input\n"), CommandError);
    CHECK_THROWS_AS(check_output(Platform::junos, "j1", "x", "error: syntax\n"), CommandError);
    CHECK_THROWS_AS(check_output(Platform::junos, "j1", "x", "syntax error.\n"), CommandError);
    CHECK_NOTHROW(check_output(Platform::junos, "j1", "x", "% fine for junos\n"));
}

TEST_CASE("frr: change set typed in one configure terminal, then write memory", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] = kFrrRunning;
    auto driver = make_driver(Platform::frr, cli);
    CHECK(driver->running_config() == kFrrRunning);
    driver->load_candidate("hostname r1\ninterface eth0\n description new\nexit\n");
    CHECK(driver->candidate_diff() ==
          "interface eth0\n no description old\nexit\ninterface eth0\n description new\nexit\n");
    driver->commit();
    CHECK(cli.typed == std::vector<std::string>{"terminal length 0", "configure terminal", "interface eth0",
                                                " no description old", "exit", "interface eth0", " description new",
                                                "exit", "end", "write memory"});
    // Typed ahead: `configure terminal` on its own round trip, then the
    // deletions, then the additions with `end`; `write memory` alone.
    CHECK(cli.typed_ahead == std::vector<std::size_t>{2, 3, 4});
}

TEST_CASE("frr: a long change set goes in bounded chunks, deletions and additions apart", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] = kFrrRunning;
    auto driver = make_driver(Platform::frr, cli);
    std::string candidate = "hostname r1\n";
    for (int i = 1; i <= 600; ++i)
        candidate +=
            "ip prefix-list TA seq " + std::to_string(i) + " permit 10." + std::to_string(i % 250) + ".0.0/16\n";
    driver->load_candidate(candidate);
    driver->commit();
    // 1 deletion group (interface eth0: enter, no description, exit), then
    // 600 additions and `end` in chunks of at most kTypeAheadLines lines and
    // kTypeAheadBytes bytes.
    REQUIRE(cli.typed_ahead.size() >= 4);
    CHECK(cli.typed_ahead[0] == 2);
    CHECK(cli.typed_ahead[1] == 3);
    std::size_t additions = 0;
    for (std::size_t k = 2; k < cli.typed_ahead.size(); ++k) {
        CHECK(cli.typed_ahead[k] <= defaults::kTypeAheadLines);
        CHECK(cli.typed_ahead_bytes[k] <= defaults::kTypeAheadBytes);
        additions += cli.typed_ahead[k];
    }
    CHECK(additions == 601);
    CHECK(cli.typed.back() == "write memory");
    CHECK(cli.typed[cli.typed.size() - 2] == "end");
}

TEST_CASE("frr: a rejected negation is retried shorter in its context, before any addition", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] =
        "Building configuration...\n\nCurrent configuration:\n!\nhostname r1\n!\ninterface eth0\n description "
        "one two three\nexit\n!\nend\n";
    cli.shell_answers[" no description one two three"] = "% Unknown command: no description one two three\n";
    cli.shell_answers[" no description one two"] = "% Unknown command: no description one two\n";
    auto driver = make_driver(Platform::frr, cli);
    driver->load_candidate("hostname r1\ninterface eth0\n description four\nexit\n");
    driver->commit();
    // frr-reload's way: drop the last word while more than "no X" is left,
    // each try in the line's own context, typed from the exec mode.
    CHECK(cli.typed == std::vector<std::string>{"terminal length 0",
                                                "configure terminal",
                                                "interface eth0",
                                                " no description one two three",
                                                "exit",
                                                "end",
                                                "configure terminal",
                                                "interface eth0",
                                                " no description one two",
                                                "end",
                                                "configure terminal",
                                                "interface eth0",
                                                " no description one",
                                                "end",
                                                "configure terminal",
                                                "interface eth0",
                                                " description four",
                                                "exit",
                                                "end",
                                                "write memory"});
}

TEST_CASE("frr: a negation rejected in every form fails the change and restores", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] = kFrrRunning;
    cli.shell_answers[" no description old"] = "% Unknown command: no description old\n";
    cli.shell_answers[" no description"] = "% Unknown command: no description\n";
    auto driver = make_driver(Platform::frr, cli);
    driver->load_candidate("hostname r1\ninterface eth0\n description new\nexit\n");
    std::string why;
    try {
        driver->commit();
    } catch (const CommandError& e) {
        why = e.what();
    }
    CHECK_THAT(why, Catch::Matchers::Contains("rejected 'no description old' (line 2 of the change set) and every "
                                              "shorter form of it: % Unknown command: no description old"));
    CHECK(typed(cli, " no description"));
    CHECK_THAT(why, Catch::Matchers::Contains("the previous config was restored"));
    CHECK_FALSE(typed(cli, " description new"));
    CHECK_FALSE(typed(cli, "write memory"));
}

TEST_CASE("frr: nothing to change types nothing", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] = kFrrRunning;
    auto driver = make_driver(Platform::frr, cli);
    driver->load_candidate(kFrrRunning);
    CHECK(driver->candidate_diff().empty());
    driver->commit();
    CHECK_FALSE(typed(cli, "configure terminal"));
}

TEST_CASE("frr: commit-confirm saves only on confirm, rollback applies the reverse", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] = kFrrRunning;
    auto driver = make_driver(Platform::frr, cli);
    driver->load_candidate("hostname r2\ninterface eth0\n description old\nexit\n");
    auto pending = driver->commit_confirmed(120s);
    CHECK_FALSE(pending.device_enforces_timer);
    CHECK(pending.previous_config == kFrrRunning);
    CHECK(typed(cli, "hostname r2"));
    CHECK_FALSE(typed(cli, "write memory"));

    // The device now runs the candidate; rolling back restores hostname r1.
    cli.exec_answers["show running-config"] =
        "Building configuration...\n\nCurrent configuration:\n!\nhostname r2\ninterface eth0\n description old\nexit\n";
    cli.typed.clear();
    driver->rollback(pending);
    CHECK(typed(cli, "no hostname r2"));
    CHECK(typed(cli, "hostname r1"));
    CHECK(typed(cli, "write memory"));
}

TEST_CASE("frr: what comes before vtysh's header is not config; output without one fails the device",
          "[devices][driver][frr]") {
    FakeCli cli;
    // A login shell that prints (a ~/.bashrc running pyenv init, seen on the lab's host).
    cli.exec_answers["show running-config"] =
        std::string("rm: cannot remove '/root/.pyenv/shims/tmp.x': No such file or directory\n") + kFrrRunning;
    auto driver = make_driver(Platform::frr, cli);
    CHECK(driver->running_config() == kFrrRunning);
    // Only the header line starts the config, not the words inside a line.
    CHECK(frr_config_from_show("r1", "banner Current configuration: x\n" + std::string(kFrrRunning)) == kFrrRunning);
    CHECK(frr_config_from_show("r1", "Current configuration:\n!\nhostname r1\n") ==
          "Current configuration:\n!\nhostname r1\n");
    CHECK_THROWS_AS(frr_config_from_show("r1", "hostname r1\n"), DeviceError);
    cli.exec_answers["show running-config"] = "rm: cannot remove x\nhostname r1\n";
    CHECK_THROWS_WITH(driver->running_config(), Catch::Matchers::Contains("no \"Current configuration:\" header"));
}

TEST_CASE("frr: a rejected line restores the previous config and reports the error", "[devices][driver][frr]") {
    FakeCli cli;
    cli.exec_answers["show running-config"] = kFrrRunning;
    cli.shell_answers[" bogus command"] = "% Unknown command: bogus command\n";
    auto driver = make_driver(Platform::frr, cli);
    driver->load_candidate("hostname r1\ninterface eth0\n description old\n bogus command\nexit\n");
    try {
        driver->commit();
        FAIL("commit succeeded");
    } catch (const CommandError& e) {
        std::string msg = e.what();
        // The first rejected line, by its place in the change set (as candidate_diff() prints it).
        CHECK_THAT(msg, Catch::Matchers::Contains("rejected 'bogus command' (line "));
        CHECK_THAT(msg, Catch::Matchers::Contains(" of the change set): % Unknown command: bogus command"));
        CHECK(msg.find("restored") != std::string::npos);
    }
    CHECK_FALSE(typed(cli, "write memory"));
}

TEST_CASE("eos: enable, session, only the changed lines, diff, commit timer, confirm", "[devices][driver][eos]") {
    FakeCli cli;
    cli.name = "sw1";
    cli.current_prompt = "sw1>";
    cli.prompts["enable\n"] = "sw1#";
    cli.exec_answers["show running-config"] = "! Command: show running-config\nhostname sw1\nend\n";
    cli.shell_answers["show configuration sessions detail | json"] = R"({"sessions": {}, "maxOpenSessions": 5})";
    cli.shell_answers["show session-config diffs"] =
        "--- system:/running-config\n+++ session:/x-session-config\n@@ -1,1 +1,2 @@\n hostname sw1\n+ntp server "
        "10.0.0.1\n";
    // The session's config read back is the intended one: the delta stands.
    cli.shell_answers["show session-config"] =
        "! Command: show session-config\nhostname sw1\nntp server 10.0.0.1\n"
        "interface Ethernet1\n   description up\nend\n";
    auto driver = make_driver(Platform::eos, cli);
    driver->load_candidate(
        "! comment\nhostname sw1\nntp server 10.0.0.1\ninterface Ethernet1\n   description up\nend\n");
    REQUIRE(cli.typed.size() >= 6);
    CHECK(cli.typed[0] == "enable\n");
    CHECK(cli.typed[1] == "terminal length 0");
    CHECK(cli.typed[2] == "terminal width 32767");
    // Both terminal settings in one write: one round trip.
    REQUIRE_FALSE(cli.typed_ahead.empty());
    CHECK(cli.typed_ahead.front() == 2);
    CHECK(cli.typed[3] == "show configuration sessions detail | json");
    CHECK(cli.typed[4].rfind("configure session sy", 0) == 0);
    std::string session = cli.typed[4].substr(std::string("configure session ").size());
    CHECK(session.size() == 8);
    // The session starts as a copy of the running config: only what differs
    // is typed, then the session's config is read back.
    CHECK(cli.typed[5] == "ntp server 10.0.0.1");
    CHECK(cli.typed[6] == "interface Ethernet1");
    CHECK(cli.typed[7] == "   description up");
    CHECK(cli.typed[8] == "show session-config");
    CHECK_FALSE(typed(cli, "hostname sw1"));
    CHECK_FALSE(typed(cli, "rollback clean-config"));
    CHECK_FALSE(typed(cli, "! comment"));
    CHECK_FALSE(typed(cli, "end"));
    CHECK(driver->candidate_diff().find("+ntp server 10.0.0.1") != std::string::npos);

    auto pending = driver->commit_confirmed(90s);
    CHECK(typed(cli, "commit timer 00:01:30"));
    CHECK(pending.session == session);
    CHECK(pending.device_enforces_timer);
    // EOS 4.32 and later name the session with a running timer at the top level.
    cli.shell_answers["show configuration sessions detail | json"] =
        R"({"sessions": {")" + session + R"(": {"state": "committed"}}, "commitTimerSessionName": ")" + session +
        R"("})";
    driver->confirm(pending);
    CHECK(typed(cli, "configure session " + session + " commit"));
    CHECK(pos(cli, "write memory") > pos(cli, "configure session " + session + " commit"));
}

TEST_CASE("eos: a delta that does not give the intended config falls back to the whole config",
          "[devices][driver][eos]") {
    FakeCli cli;
    cli.name = "sw1";
    cli.current_prompt = "sw1#";
    cli.exec_answers["show running-config"] = "hostname sw1\ninterface Ethernet1\n   description old\n";
    cli.shell_answers["show configuration sessions detail | json"] = R"({"sessions": {}})";
    // Read back, the session still holds the old description (a CLI whose
    // `no` did not do what the delta assumed).
    cli.shell_answers["show session-config"] = "hostname sw1\ninterface Ethernet1\n   description old\n";
    auto driver = make_driver(Platform::eos, cli);
    driver->load_candidate("hostname sw1\ninterface Ethernet1\n   description new\n");
    const auto first = pos(cli, "interface Ethernet1");
    CHECK(cli.typed[first + 1] == "   no description old");
    CHECK(cli.typed[first + 2] == "   description new");
    REQUIRE(cli.typed[first - 1].rfind("configure session sy", 0) == 0);
    const std::string delta_session = cli.typed[first - 1].substr(std::string("configure session ").size());
    // That session is aborted, and a fresh one gets the whole config.
    const auto abort = pos(cli, "configure session " + delta_session + " abort");
    REQUIRE(abort < static_cast<std::ptrdiff_t>(cli.typed.size()));
    REQUIRE(abort + 2 < static_cast<std::ptrdiff_t>(cli.typed.size()));
    CHECK(cli.typed[abort + 1].rfind("configure session sy", 0) == 0);
    CHECK(cli.typed[abort + 1] != "configure session " + delta_session);
    CHECK(cli.typed[abort + 2] == "rollback clean-config");
    CHECK(cli.typed[abort + 3] == "hostname sw1");
    CHECK(cli.typed.back() == "   description new");
}

TEST_CASE("eos: an empty session diff is no change; discard aborts", "[devices][driver][eos]") {
    FakeCli cli = privileged_eos();
    cli.shell_answers["show session-config diffs"] = "--- system:/running-config\n+++ session:/x-session-config\n";
    auto driver = make_driver(Platform::eos, cli);
    driver->load_candidate("hostname sw1\n");
    CHECK_FALSE(typed(cli, "enable\n"));
    CHECK(driver->candidate_diff().empty());
    driver->discard();
    check_session_aborted(cli);
}

TEST_CASE("eos: a rejected line aborts the session", "[devices][driver][eos]") {
    FakeCli cli = privileged_eos();
    cli.shell_answers["bad line"] = "% Invalid input\n";
    auto driver = make_driver(Platform::eos, cli);
    CHECK_THROWS_AS(driver->load_candidate("hostname sw1\nbad line\n"), CommandError);
    check_session_aborted(cli);
}

TEST_CASE("junos: load override terminal, compare, commit confirmed, confirm", "[devices][driver][junos]") {
    FakeCli cli;
    cli.name = "j1";
    cli.current_prompt = "admin@j1> ";
    std::string config = "system {\n    host-name j1;\n}\n";
    cli.exec_answers["show configuration"] = "## Last commit: 2024-05-01 10:00:00 UTC by admin\nversion 21.4;\n";
    cli.shell_answers["configure exclusive"] = "[edit]\n";
    cli.prompts["configure exclusive"] = "admin@j1# ";
    cli.prompts["exit configuration-mode\n"] = "admin@j1> ";
    cli.shell_answers["load override terminal\n" + config + "\x04"] =
        "[Type ^D at a new line to end input]\nload complete\n[edit]\nadmin@j1# ";
    cli.shell_answers["show | compare"] = "[edit system]\n-  host-name old;\n+  host-name j1;\n[edit]\n";
    cli.shell_answers["commit check"] = "configuration check succeeds\n";
    cli.shell_answers["commit confirmed 2"] =
        "commit confirmed will be automatically rolled back in 2 minutes unless confirmed\ncommit complete\n";
    cli.shell_answers["commit"] = "commit complete\n";
    auto driver = make_driver(Platform::junos, cli);
    driver->load_candidate(config);
    CHECK(cli.typed[0] == "set cli screen-length 0");
    CHECK(cli.typed[1] == "set cli screen-width 0");
    CHECK(cli.execs == std::vector<std::string>{"show configuration"});
    CHECK(cli.typed[2] == "configure exclusive");
    CHECK(driver->candidate_diff() == "[edit system]\n-  host-name old;\n+  host-name j1;\n");
    auto pending = driver->commit_confirmed(61s);  // rounded up to whole minutes
    CHECK(pending.timer == 120s);
    CHECK(pos(cli, "commit check") < pos(cli, "commit confirmed 2"));
    CHECK(cli.typed.back() == "exit configuration-mode\n");
    cli.shell_answers["show | compare"] = "";
    driver->confirm(pending);
    // Confirmed in exclusive mode (a private copy may refuse or commit nothing).
    CHECK(cli.typed[cli.typed.size() - 4] == "configure exclusive");
    CHECK(cli.typed[cli.typed.size() - 2] == "commit");
}

TEST_CASE("junos: a load error rolls back and leaves configuration mode", "[devices][driver][junos]") {
    FakeCli cli;
    cli.current_prompt = "admin@j1> ";
    cli.prompts["configure exclusive"] = "admin@j1# ";
    cli.shell_answers["load override terminal\nbogus;\n\x04"] =
        "^Dterminal:1:(0) syntax error: bogus\n  [edit]\n    'bogus;'\n      syntax error\nload complete (1 errors)\n";
    cli.shell_answers["rollback 0"] = "load complete\n";
    cli.raw_match = 1;  // "Exit with uncommitted changes? [yes,no]"
    auto driver = make_driver(Platform::junos, cli);
    CHECK_THROWS_AS(driver->load_candidate("bogus;"), CommandError);
    CHECK(typed(cli, "rollback 0"));
    CHECK(cli.typed[cli.typed.size() - 2] == "exit configuration-mode\n");
    CHECK(cli.typed.back() == "yes\n");
}

// A recovery reads the device once to know where it stands and pushes from
// that read: the driver does not read it again, frr's change set starts from
// the config given, and a commit on a timer hands it back to roll back to.
TEST_CASE("load_candidate from the running config the caller read: no second read", "[devices][driver]") {
    FakeCli cli;
    cli.shell_answers["show configuration sessions detail | json"] = R"({"sessions": {}})";
    cli.shell_answers["configure exclusive"] = "[edit]\n";
    cli.prompts["configure exclusive"] = "admin@j1# ";
    cli.shell_answers["commit check"] = "configuration check succeeds\n";
    cli.shell_answers["commit confirmed 1"] = "commit complete\n";
    const std::map<Platform, std::pair<std::string, std::string>> read_and_target = {
        {Platform::frr, {kFrrRunning, "hostname r2\ninterface eth0\n description old\nexit\n"}},
        {Platform::eos, {"! Command: show running-config\nhostname sw1\nend\n", "hostname sw2\n"}},
        {Platform::junos, {"system {\n    host-name j1;\n}\n", "system {\n    host-name j2;\n}\n"}}};
    for (auto& [platform, configs] : read_and_target) {
        auto& [running, target] = configs;
        INFO(to_string(platform));
        cli.current_prompt = platform == Platform::junos ? "admin@j1> " : "r1# ";
        cli.exec_answers["show running-config"] = cli.exec_answers["show configuration"] = running;
        cli.execs.clear();
        auto driver = make_driver(platform, cli);
        std::string read = driver->running_config();
        CHECK(read == running);
        cli.shell_answers["load override terminal\n" + target + "\x04"] = "load complete\n";
        driver->load_candidate(target, read);
        if (platform == Platform::frr) CHECK(driver->candidate_diff() == "no hostname r1\nhostname r2\n");
        auto pending = driver->commit_confirmed(60s);
        CHECK(pending.previous_config == running);
        CHECK(cli.execs.size() == 1);
    }
}

TEST_CASE("a pending commit survives a JSON round trip", "[devices][driver]") {
    PendingCommit p{"sy0a1b2c", "hostname r1\n", std::chrono::seconds(300), false};
    nlohmann::json j = p;
    CHECK(j["timer_seconds"] == 300);
    CHECK(j.get<PendingCommit>() == p);
    CHECK_THROWS(nlohmann::json::object().get<PendingCommit>());
}
