// Issue 16: an eos load types the config ahead in bounded chunks instead of
// one round trip per line, and still blames a rejected line by its echo.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "devices/driver.h"
#include "devices/errors.h"
#include "devices/typed_ahead.h"
#include "fake_cli.h"

using namespace switchyard::devices;
using switchyard::devices::testing::FakeCli;

namespace {

const Pattern& eos_prompt() {
    static const Pattern p = prompt_pattern(Platform::eos);
    return p;
}

// A config of `n` lines: one interface block of three lines per three lines.
std::string interfaces(int n) {
    std::string c;
    for (int i = 0; i < n; ++i) {
        int port = i / 3 + 1;
        if (i % 3 == 0) c += "interface Ethernet" + std::to_string(port) + "\n";
        else if (i % 3 == 1) c += "   description port " + std::to_string(port) + "\n";
        else c += "   switchport access vlan " + std::to_string(100 + port % 50) + "\n";
    }
    return c;
}

FakeCli eos_cli() {
    FakeCli cli;
    cli.name = "sw1";
    cli.current_prompt = "sw1#";
    cli.shell_answers["show configuration sessions detail | json"] = R"({"sessions": {}})";
    return cli;
}

// The lines of each write that typed config: every write but the first,
// which sets the terminal up (length and width in one write).
std::vector<std::size_t> config_writes(const FakeCli& cli) {
    REQUIRE_FALSE(cli.typed_ahead.empty());
    CHECK(cli.typed_ahead.front() == 2);
    return {cli.typed_ahead.begin() + 1, cli.typed_ahead.end()};
}

}  // namespace

TEST_CASE("typed ahead: output between two echoes belongs to the first line", "[devices][typed_ahead]") {
    TypedAhead typed({"interface Ethernet1", "   bogus", "   description up"}, eos_prompt());
    // The first echo stands alone (its prompt ended the previous read); the
    // others sit behind the prompt that ended the line before.
    typed.consume("interface Ethernet1\r\n");
    CHECK(typed.echoed() == 1);
    typed.consume("sw1(config-s-sy0001-if-Et1)#   bogus\r\n% Invalid input\r\n");
    CHECK_FALSE(typed.all_echoed());
    typed.consume("sw1(config-s-sy0001-if-Et1)#   description up\r\n");
    CHECK(typed.all_echoed());
    REQUIRE(typed.outputs().size() == 3);
    CHECK(typed.outputs()[0].empty());
    CHECK(typed.outputs()[1] == "% Invalid input\n");
    CHECK(typed.outputs()[2].empty());
}

TEST_CASE("typed ahead: the first echo may start with the rest of the prompt that ended the last read",
          "[devices][typed_ahead]") {
    // The read before stopped at "r1(config)#": the prompt pattern allows
    // its trailing blank to be missing, and a device whose output trickles
    // sends that blank only now.
    static const Pattern frr = prompt_pattern(Platform::frr);
    TypedAhead typed({"domainname example.net", "interface eth0", " ip address 10.0.0.1/24"}, frr);
    typed.consume(" domainname example.net\r\n");
    CHECK(typed.echoed() == 1);
    typed.consume("r1(config)# interface eth0\r\nr1(config-if)#  ip address 10.0.0.1/24\r\n");
    CHECK(typed.all_echoed());
    // Only blanks may stand before the first echo: other text is an earlier exchange's.
    TypedAhead other({"end"}, frr);
    other.consume("weekend\r\n");
    CHECK(other.echoed() == 0);
}

// What FRR 8.4's vtysh sent over OpenSSH (tests/lab, one router) for 159
// lines typed in one write, eight of them rejected: the kernel echoed the
// tail of the chunk (beyond the line discipline's 4,095 bytes) bare while
// vtysh ran a command, in fragments, before prompts and before error texts.
// The first 30 lines of the transcript, byte for byte.
TEST_CASE("typed ahead: a terminal's bare echo of later lines hides neither an echo nor an error",
          "[devices][typed_ahead]") {
    static const Pattern frr = prompt_pattern(Platform::frr);
    std::vector<std::string> lines;
    for (int k = 0; k < 150; ++k) {
        lines.push_back("ip route 10.97.0." + std::to_string(k + 1) + "/32 blackhole");
        if (k < 8) lines.push_back("ip route bogus" + std::to_string(k) + " blackhole");
    }
    lines.push_back("end");
    TypedAhead typed(lines, frr);
    typed.consume(
        "ip route 10.97.0.1/32 blackhole\r\n"
        "sydbg-r1(config)# ip route bogus0 blackhole\r\n"
        "% Unknown command: ip route bogus0 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.2/32 blackhole\r\n"
        "e 10.97.0.120/32 blackhole\r\n"
        "ip rosydbg-r1(config)# ip route bogus1 blackhole\r\n"
        "% Unknown command: ip route bogus1 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.3/32 blackhole\r\n"
        "le\r\n"
        "ip route 10.97.0.122/32 blacksydbg-r1(config)# ip route bogus2 blackhole\r\n"
        "% Unknown command: ip route bogus2 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.4/32 blackhole\r\n"
        "sydbg-r1(config)# ip route bogus3 blackhole\r\n"
        "% Unknown command: ip route bogus3 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.5/32 blackhole\r\n"
        "sydbg-r1(config)# ip route bogus4 blackhole\r\n"
        "le\r\n"
        "i% Unknown command: ip route bogus4 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.6/32 blackhole\r\n"
        "/32 blackholesydbg-r1(config)# ip route bogus5 blackhole\r\n"
        "b% Unknown command: ip route bogus5 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.7/32 blackhole\r\n"
        "sydbg-r1(config)# ip route bogus6 blackhole\r\n"
        "% Unknown command: ip route bogus6 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.8/32 blackhole\r\n"
        " blackhole\r\n"
        "ip route 10.97.0.130/32 blackhole\r\n"
        "ip route 10.9sydbg-r1(config)# ip route bogus7 blackhole\r\n"
        "% Unknown command: ip route bogus7 blackhole\r\n"
        "sydbg-r1(config)# ip route 10.97.0.9/32 blackhole\r\n");
    // Through "ip route 10.97.0.9/32": the first 17 lines, every one seen.
    CHECK(typed.echoed() == 17);
    const auto& out = typed.outputs();
    for (std::size_t i = 0; i < 16; ++i) {
        INFO("line " << i << ": " << lines[i] << " printed: " << out[i]);
        if (i % 2 == 1) {
            // "i% Unknown command: ..." and "b% ..." included: the fragment
            // in front of the error text is gone.
            CHECK(out[i] == "% Unknown command: " + lines[i] + "\n");
            CHECK(error_line(Platform::frr, out[i]));
        } else {
            CHECK(out[i].empty());  // bare echoes and fragments only
        }
    }
}

TEST_CASE("typed ahead: output that is not typed text is kept, and a prompt needs more than a fragment before it",
          "[devices][typed_ahead]") {
    static const Pattern frr = prompt_pattern(Platform::frr);
    TypedAhead typed({"ip route 10.0.0.1/32 blackhole", "ip route 10.0.0.2/32 blackhole"}, frr);
    typed.consume("ip route 10.0.0.1/32 blackhole\r\n");
    // Text before the prompt that no typed line holds: not an echo.
    typed.consume("warning r1(config)# ip route 10.0.0.2/32 blackhole\r\n");
    CHECK(typed.echoed() == 1);
    // Output that merely starts like typed text keeps what follows it.
    typed.consume("ip route % is not a prefix\r\n");
    CHECK(typed.outputs()[0] == "warning r1(config)# ip route 10.0.0.2/32 blackhole\n% is not a prefix\n");
    typed.consume("10.0r1(config)# ip route 10.0.0.2/32 blackhole\r\n");
    CHECK(typed.all_echoed());
}

TEST_CASE("typed ahead: an intermediate prompt or a look-alike line does not end the read", "[devices][typed_ahead]") {
    TypedAhead typed({"hostname sw1", "exit", "exit"}, eos_prompt());
    typed.consume("leftover of the previous command\nhostname sw1\n");
    CHECK(typed.echoed() == 1);
    // An output line that merely equals the next line is no echo: only the
    // first line's echo may stand without a prompt.
    typed.consume("exit\n");
    CHECK(typed.echoed() == 1);
    typed.consume("sw1(config-s-sy0001)#exit\n");
    CHECK(typed.echoed() == 2);
    CHECK_FALSE(typed.all_echoed());
    typed.consume("sw1(config-s-sy0001)#exit   \n");  // trailing spaces do not matter
    CHECK(typed.all_echoed());
    // Such a line is what a terminal echoes of lines still to be read: it
    // is nobody's output.
    CHECK(typed.outputs()[0].empty());
    CHECK_THROWS_AS(TypedAhead({"ok", "   "}, eos_prompt()), std::invalid_argument);
}

TEST_CASE("eos: a long config is typed ahead in bounded chunks, heredocs on their own", "[devices][driver][eos]") {
    FakeCli cli = eos_cli();
    auto driver = make_driver(Platform::eos, cli);
    const std::string config =
        interfaces(600) + "banner login\nAuthorized use only\nEOF\n" + interfaces(30) + "ntp server 10.0.0.1\n";
    driver->load_candidate(config);
    // 600 lines, then the banner in one raw write, then 31 lines.
    const auto writes = config_writes(cli);
    REQUIRE(writes.size() == 4);
    CHECK(writes[0] == defaults::kTypeAheadLines);
    CHECK(writes[1] == defaults::kTypeAheadLines);
    CHECK(writes[2] == 600 - 2 * defaults::kTypeAheadLines);
    CHECK(writes[3] == 31);
    CHECK(std::find(cli.typed.begin(), cli.typed.end(), "banner login\nAuthorized use only\nEOF\n") != cli.typed.end());
    // Every line typed once, in order.
    auto first = std::find(cli.typed.begin(), cli.typed.end(), "interface Ethernet1");
    REQUIRE(first != cli.typed.end());
    CHECK(*(first + 1) == "   description port 1");
    CHECK(cli.typed.back() == "ntp server 10.0.0.1");
}

TEST_CASE("eos: chunks are bounded in bytes too", "[devices][driver][eos]") {
    FakeCli cli = eos_cli();
    std::string config;
    const std::string long_description(400, 'd');
    for (int i = 1; i <= 100; ++i)
        config += "interface Ethernet" + std::to_string(i) + "\n   description " + long_description + "\n";
    // From an empty running config the delta is the whole config; read back,
    // the session holds it.
    cli.shell_answers["show session-config"] = config;
    auto driver = make_driver(Platform::eos, cli);
    driver->load_candidate(config);
    // 200 lines, about 44 KB: more than one chunk although far fewer lines
    // than kTypeAheadLines.
    const auto writes = config_writes(cli);
    REQUIRE(writes.size() > 1);
    CHECK(std::accumulate(writes.begin(), writes.end(), std::size_t{0}) == 200);
    for (auto n : cli.typed_ahead_bytes) CHECK(n <= defaults::kTypeAheadBytes);
}

TEST_CASE("eos: a rejected line in the middle of a chunk is named and the session aborted", "[devices][driver][eos]") {
    FakeCli cli = eos_cli();
    cli.shell_answers["   description rejected"] = "% Invalid input\n";
    cli.shell_answers["   switchport access vlan 9999"] = "% Invalid input (VLAN out of range)\n";
    auto driver = make_driver(Platform::eos, cli);
    // Both rejected lines in the first chunk; the load stops after it.
    std::string config = interfaces(150) + "interface Ethernet99\n   description rejected\n" + interfaces(60) +
                         "interface Ethernet98\n   switchport access vlan 9999\n" + interfaces(300);
    try {
        driver->load_candidate(config);
        FAIL("the load succeeded");
    } catch (const CommandError& e) {
        std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find("rejected '   description rejected'") == std::string::npos);  // trimmed in the message
        CHECK(msg.find("'description rejected' (line 152 of the config): % Invalid input") != std::string::npos);
        CHECK(msg.find("(2 lines rejected in all)") != std::string::npos);
    }
    // The delta (from an empty running config, the same lines) stopped at its
    // first chunk, and so did the whole config it fell back to.
    CHECK(config_writes(cli).size() == 2);
    // The whole chunk was read to its end, then the session aborted from the
    // top (`abort` in a sub-mode only exits it, ansible#36979).
    REQUIRE(cli.typed.size() >= 2);
    CHECK(cli.typed[cli.typed.size() - 2] == "end");
    CHECK(cli.typed.back().rfind("configure session sy", 0) == 0);
    CHECK(cli.typed.back().ends_with(" abort"));
    CHECK_THROWS_AS(driver->candidate_diff(), std::logic_error);  // no session is left to diff
}
