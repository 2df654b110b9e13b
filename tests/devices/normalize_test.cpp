#include <catch2/catch.hpp>

#include "devices/config_diff.h"
#include "devices/normalize.h"

using namespace switchyard::devices;

TEST_CASE("normalisation drops volatile lines, \\r, trailing spaces and extra blanks", "[devices][normalize]") {
    std::string eos =
        "! Command: show running-config\r\n! device: sw1 (vEOS, EOS-4.30)\r\n! Time: Mon May 1 10:00:00 2024\r\n"
        "!\r\nhostname sw1   \r\n\r\n\r\n\r\ninterface Ethernet1\r\n   description up\r\nend\r\n";
    CHECK(normalize_config(eos) == "!\nhostname sw1\n\ninterface Ethernet1\n   description up\nend\n");

    std::string frr =
        "Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4\nhostname r1\n! Configuration saved "
        "at 10:00\nend\n";
    CHECK(normalize_config(frr) == "!\nfrr version 8.4\nhostname r1\nend\n");

    std::string junos =
        "## Last commit: 2024-05-01 10:00:00 UTC by admin\n## Last changed: x\nversion 21.4;\nsystem {\n    host-name "
        "j1;\n}\n";
    CHECK(normalize_config(junos) == "system {\n    host-name j1;\n}\n");
}

TEST_CASE("an OS upgrade is no config drift (issue 17, both)", "[devices][normalize]") {
    std::string eos_before =
        "! Command: show running-config\n! device: sw1 (vEOS-lab, EOS-4.30.1F)\n!\n"
        "! boot system flash:/EOS-4.30.1F.swi\n!\nhostname sw1\nend\n";
    std::string eos_after =
        "! Command: show running-config\n! device: sw1 (vEOS-lab, EOS-4.32.2F)\n!\n"
        "! boot system flash:/EOS-4.32.2F.swi\n!\nhostname sw1\nend\n";
    CHECK(config_hash(eos_before) == config_hash(eos_after));
    std::string junos_before = "## Last commit: x\nversion 20.4R3.8;\nsystem {\n    host-name j1;\n}\n";
    std::string junos_after = "## Last commit: x\nversion 23.4R2-S2.1;\nsystem {\n    host-name j1;\n}\n";
    CHECK(config_hash(junos_before) == config_hash(junos_after));
    // Only the top-level release line: a nested "version" statement is configuration.
    CHECK(normalize_config("protocols {\n    version 3;\n}\n") == "protocols {\n    version 3;\n}\n");
}

TEST_CASE("normalisation is idempotent and strips pager residue", "[devices][normalize]") {
    std::string text = "\x1b[7m--More--\x1b[m\b\b\b\b\b\b\b\b\nhostname r1\n --More-- \nline\n";
    auto once = normalize_config(text);
    CHECK(once == "hostname r1\nline\n");
    CHECK(normalize_config(once) == once);
    CHECK(normalize_config("") == "");
    CHECK(normalize_config("\n\n\n") == "");
}

// junos's pager prompt carries how far it got: "---(more 42%)---".
TEST_CASE("junos pager prompts are residue whatever their percentage", "[devices][normalize]") {
    CHECK(normalize_config("system {\n---(more)---\n    host-name r1;\n---(more 42%)---\n}\n---(more 100%)---\n") ==
          "system {\n    host-name r1;\n}\n");
    // Configuration that merely starts alike stays.
    CHECK(normalize_config("---(morel)---\n---(more\n") == "---(morel)---\n---(more\n");
}

TEST_CASE("shell output loses the echo and the trailing prompt", "[devices][normalize]") {
    Pattern prompt(R"(^r1(\([^)]*\))?# ?$)");
    CHECK(strip_cli_output("show version\r\nFRR 8.4\r\nr1# ", "show version", prompt) == "FRR 8.4\n");
    CHECK(strip_cli_output("r1# show version\r\nFRR 8.4\r\nr1# ", "show version", prompt) == "FRR 8.4\n");
    CHECK(strip_cli_output("FRR 8.4\nr1(config)# ", "show version", prompt) == "FRR 8.4\n");
}

TEST_CASE("unified diff and hash", "[devices][diff]") {
    std::string a = "hostname r1\ninterface eth0\n ip address 10.0.0.1/24\nexit\n";
    std::string b = "hostname r1\ninterface eth0\n ip address 10.0.0.2/24\nexit\n";
    CHECK(unified_diff(a, a).empty());
    auto d = unified_diff(a, b);
    CHECK(d.rfind("--- running\n+++ intended\n@@ ", 0) == 0);
    CHECK(d.find("\n- ip address 10.0.0.1/24\n") != std::string::npos);
    CHECK(d.find("\n+ ip address 10.0.0.2/24\n") != std::string::npos);
    auto s = diff_stats(d);
    CHECK(s.added == 1);
    CHECK(s.removed == 1);

    CHECK(config_hash(a).size() == 64);
    CHECK(config_hash(a) == config_hash("Building configuration...\r\n" + a + "\n\n"));
    CHECK(config_hash(a) != config_hash(b));
    CHECK(config_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    // The typed hash a sync holds per device: the same identity, as bytes.
    const ConfigHash none;
    CHECK(none.empty());
    CHECK(none.hex().empty());
    CHECK_FALSE(ConfigHash::of("").empty());
    CHECK(ConfigHash::of("") != none);
    CHECK(ConfigHash::of(a).hex() == config_hash(a));
    CHECK(ConfigHash::of(a) == ConfigHash::of("Building configuration...\r\n" + a + "\n\n"));
    CHECK(ConfigHash::of(a) != ConfigHash::of(b));
    CHECK(sizeof(ConfigHash) <= 40);
}

// unified_diff runs dtl on line numbers, not on the lines: the hunks must be
// the ones dtl printed from the strings (expected text below: dtl 1.20's
// printUnifiedFormat on the same two configs), repeated lines included.
TEST_CASE("a diff of configs with repeated lines is dtl's, hunk for hunk", "[devices][diff]") {
    std::string a;
    for (int i = 1; i <= 12; ++i) a += "interface eth" + std::to_string(i) + "\n description uplink\n!\n";
    std::string b = a;
    auto replace = [&](const std::string& from, const std::string& to) { b.replace(b.find(from), from.size(), to); };
    replace("interface eth2\n description uplink\n", "interface eth2\n description downlink\n");
    replace("interface eth9\n description uplink\n!\n", "");
    b += "interface eth13\n description uplink\n!\n";
    CHECK(
        unified_diff(a, b) ==
        "--- running\n+++ intended\n"
        "@@ -2,7 +2,7 @@\n  description uplink\n !\n interface eth2\n- description uplink\n+ description downlink\n"
        " !\n interface eth3\n  description uplink\n"
        "@@ -22,9 +22,6 @@\n interface eth8\n  description uplink\n !\n-interface eth9\n- description uplink\n-!\n"
        " interface eth10\n  description uplink\n !\n"
        "@@ -34,3 +31,6 @@\n interface eth12\n  description uplink\n !\n+interface eth13\n+ description uplink\n+!\n");
    CHECK(unified_diff(a, b, "before", "after").rfind("--- before\n+++ after\n@@ -2,7 +2,7 @@\n", 0) == 0);
    // No newline at the end of one side: the same lines, so no difference.
    CHECK(unified_diff("a\nb\n", "a\nb").empty());
}
