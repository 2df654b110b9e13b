// Personalities driven directly (no SSH): prompts, modes, commits, timers.
#include <catch2/catch.hpp>

#include <utility>

#include "default_configs.h"
#include "personality.h"
#include "rollback_timer.h"
#include "sim_harness.h"

using namespace sim;

namespace {

struct Rig {
    simtest::TempDir dir;
    SimClock clock;
    std::vector<std::unique_ptr<Device>> devices;
    explicit Rig(Platform p, const std::string& host) {
        DeviceSpec s;
        s.hostname = host;
        s.platform = p;
        devices.push_back(std::make_unique<Device>(s, dir.path, canonical_config(p, default_config(p, host, 0))));
    }
    Device& dev() { return *devices[0]; }
    std::string running() {
        std::lock_guard lk(dev().mu);
        return dev().running;
    }
};

std::string say(Personality& p, const std::string& line) { return p.line(line).text; }

}  // namespace

TEST_CASE("frr prompts follow configure terminal contexts", "[sim][personality]") {
    Rig rig(Platform::frr, "r1");
    auto p = make_personality(rig.dev(), "admin", rig.clock);
    CHECK(p->prompt() == "r1# ");
    // Each line typed, and the prompt after it.
    const std::pair<const char*, const char*> steps[] = {
        {"configure terminal", "r1(config)# "},
        {"router bgp 65000", "r1(config-router)# "},
        {"address-family ipv4 unicast", "r1(config-router-af)# "},
        {"exit-address-family", "r1(config-router)# "},
        {"end", "r1# "},
    };
    for (auto [line, prompt] : steps) {
        INFO(line);
        say(*p, line);
        CHECK(p->prompt() == prompt);
    }
    CHECK(say(*p, "write memory").find("[OK]") != std::string::npos);
    Reply bad = p->line("show bogus");
    CHECK(bad.error);
    CHECK(bad.text.rfind("% ", 0) == 0);
    std::string show = say(*p, "show running-config");
    CHECK(show.rfind("Building configuration...\n\nCurrent configuration:\n!\nfrr version", 0) == 0);
    CHECK(show.find("\nend\n") != std::string::npos);
}

TEST_CASE("eos commit timer rolls back unless confirmed", "[sim][personality]") {
    Rig rig(Platform::eos, "e1");
    auto p = make_personality(rig.dev(), "admin", rig.clock);
    CHECK(p->prompt() == "e1>");
    say(*p, "enable");
    CHECK(p->prompt() == "e1#");
    say(*p, "configure session longname");
    CHECK(p->prompt() == "e1(config-s-longna)#");
    say(*p, "hostname e2");
    CHECK(say(*p, "show session-config diffs").find("+hostname e2") != std::string::npos);
    const std::string before = rig.running();
    CHECK(say(*p, "commit timer 00:00:01").empty());
    CHECK(rig.running().find("hostname e2") != std::string::npos);
    CHECK(p->prompt() == "e2#");
    CHECK(RollbackTimer::fire_expired(rig.devices) == 0);
    REQUIRE(
        simtest::wait_until([&] { return RollbackTimer::fire_expired(rig.devices) == 1; }, std::chrono::seconds(5)));
    CHECK(rig.running() == before);

    say(*p, "configure session s2");
    say(*p, "hostname e3");
    say(*p, "commit timer 00:00:01");
    CHECK(say(*p, "configure session s2 commit").empty());
    std::lock_guard lk(rig.dev().mu);
    CHECK_FALSE(rig.dev().pending.has_value());
}

TEST_CASE("junos load override, compare and commit confirmed", "[sim][personality]") {
    Rig rig(Platform::junos, "j1");
    rig.clock.confirm_minute_seconds = 0.2;
    auto p = make_personality(rig.dev(), "admin", rig.clock);
    CHECK(p->prompt() == "admin@j1> ");
    CHECK(say(*p, "configure exclusive").find("Entering configuration mode") != std::string::npos);
    CHECK(p->prompt() == "\n[edit]\nadmin@j1# ");
    CHECK(say(*p, "load override terminal").find("^D") != std::string::npos);
    CHECK(p->prompt().empty());
    say(*p, "system {");
    say(*p, "    host-name j2;");
    say(*p, "}");
    CHECK(p->end_of_input().text == "load complete\n");
    std::string diff = say(*p, "show | compare");
    CHECK(diff.find("[edit system]\n-   host-name j1;\n") != std::string::npos);
    CHECK(diff.find("+   host-name j2;\n") != std::string::npos);
    CHECK(diff.find("[edit]\n-   interfaces {\n") == 0);
    CHECK(say(*p, "commit check") == "configuration check succeeds\n");
    const std::string before = rig.running();
    CHECK(say(*p, "commit confirmed 1").find("rolled back in 1 minutes") != std::string::npos);
    CHECK(rig.running() == "system {\n    host-name j2;\n}\n");
    REQUIRE(
        simtest::wait_until([&] { return RollbackTimer::fire_expired(rig.devices) == 1; }, std::chrono::seconds(5)));
    CHECK(rig.running() == before);
    CHECK(say(*p, "rollback 0") == "load complete\n");
    CHECK(say(*p, "exit") == "Exiting configuration mode\n");
}

TEST_CASE("junos exit asks about uncommitted changes", "[sim][personality]") {
    Rig rig(Platform::junos, "j1");
    auto p = make_personality(rig.dev(), "admin", rig.clock);
    say(*p, "configure");
    say(*p, "load merge terminal");
    say(*p, "snmp { community public; }");
    p->end_of_input();
    CHECK(say(*p, "exit").find("Exit with uncommitted changes? [yes,no] (yes)") != std::string::npos);
    CHECK(say(*p, "yes") == "Exiting configuration mode\n");
    CHECK(p->prompt() == "admin@j1> ");
    say(*p, "configure");
    say(*p, "load override terminal");
    say(*p, "system {");
    Reply r = p->end_of_input();
    CHECK(r.error);
    CHECK(r.text.find("syntax error") != std::string::npos);
}
