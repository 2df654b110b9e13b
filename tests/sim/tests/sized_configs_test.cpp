// Generated configs of a chosen size (sized_configs.h), without SSH: their
// show output has about the asked number of lines, the simulator's own config
// trees take them whole, each device's differs, and a name always gives the same.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <utility>
#include <vector>

#include "junos_tree.h"
#include "personality.h"
#include "sim_harness.h"
#include "sized_configs.h"

using namespace sim;

namespace {

int line_count(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

int count_of(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// What the device prints for `show running-config` / `show configuration`
// when it runs this config.
std::string shown(Platform p, const std::string& host, const std::string& config) {
    simtest::TempDir dir;
    DeviceSpec s;
    s.hostname = host;
    s.platform = p;
    Device dev(s, dir.path, canonical_config(p, config));
    std::lock_guard lk(dev.mu);
    return show_running_locked(dev);
}

}  // namespace

TEST_CASE("sized configs: the device shows about the asked number of lines, as generated", "[sim][model][sized]") {
    for (Platform p : {Platform::frr, Platform::eos, Platform::junos}) {
        for (int lines : {kMinConfigLines, 500, 2000, 10000, kMaxConfigLines}) {
            INFO(platform_name(p) << " config_lines=" << lines);
            const std::string config = sized_config(p, "leaf0042", 41, lines);
            const std::string show = shown(p, "leaf0042", config);
            // The simulator stores and prints it unchanged: the generator writes the
            // platform's own show layout ("!" separators, exit lines, braces).
            CHECK(show.ends_with(p == Platform::frr || p == Platform::eos ? config + "!\nend\n" : config));
            const int got = line_count(show);
            CHECK(got >= lines * 98 / 100);
            CHECK(got <= lines * 102 / 100 + 6);
            if (p == Platform::junos) CHECK(parse_junos(config).ok);
        }
    }
}

TEST_CASE("sized configs: interfaces, VLANs, prefix lists and BGP neighbours in each platform's syntax",
          "[sim][model][sized]") {
    // Per device: text that stands more than N times in its config, and
    // text that stands exactly once.
    struct Expected {
        Platform platform;
        const char* hostname;
        int index;
        std::vector<std::pair<std::string, int>> more_than;
        std::vector<std::string> once;
    };
    const Expected devices[] = {
        {Platform::frr,
         "r1",
         0,
         {{"\ninterface swp", 50}, {"\ninterface vlan", 20}, {" remote-as ", 50}},
         {"\nip prefix-list PL-IMPORT seq 5 permit ", "\nrouter bgp 65000\n bgp router-id 10.255.0.1\n",
          "\n exit-address-family\nexit\n"}},
        {Platform::eos,
         "e1",
         1,
         {{"\ninterface Ethernet", 50},
          {"\n   switchport access vlan ", 50},
          {"\nvlan ", 20},
          {"\ninterface Vlan", 20},
          {"\n      neighbor ", 10}},  // address-family ipv4 activations
         {"\nip prefix-list PL-EXPORT\n   seq 10 permit ", "\nrouter bgp 65001\n   router-id 10.255.0.2\n"}},
        {Platform::junos,
         "j1",
         2,
         {{"\n    ge-", 30},
          {"                interface-mode access;\n", 30},
          {"        l3-interface irb.", 20},
          {"            neighbor ", 10}},
         {"\nvlans {\n", "\n    prefix-list PL-IMPORT {\n", "    autonomous-system 65002;\n"}},
    };
    for (const auto& d : devices) {
        INFO(platform_name(d.platform));
        const auto config = sized_config(d.platform, d.hostname, d.index, 2000);
        for (const auto& [text, n] : d.more_than) {
            INFO(text);
            CHECK(count_of(config, text) > n);
        }
        for (const auto& text : d.once) {
            INFO(text);
            CHECK(count_of(config, text) == 1);
        }
    }
}

TEST_CASE("sized configs: each device's differs, the same name gives the same bytes", "[sim][model][sized]") {
    for (Platform p : {Platform::frr, Platform::eos, Platform::junos}) {
        INFO(platform_name(p));
        const auto a = sized_config(p, "sim0001", 0, 2000);
        CHECK(sized_config(p, "sim0001", 0, 2000) == a);
        // Same index (loopback, AS), other name: more than the hostname differs.
        auto b = sized_config(p, "sim0002", 0, 2000);
        for (auto at = b.find("sim0002"); at != std::string::npos; at = b.find("sim0002", at))
            b.replace(at, 7, "sim0001");
        CHECK(b != a);
        // Most lines differ (descriptions, VLAN ids, prefixes), not a handful.
        auto lines_a = split_lines(a), lines_b = split_lines(b);
        std::sort(lines_a.begin(), lines_a.end());
        std::sort(lines_b.begin(), lines_b.end());
        std::vector<std::string> common;
        std::set_intersection(lines_a.begin(), lines_a.end(), lines_b.begin(), lines_b.end(),
                              std::back_inserter(common));
        CHECK(common.size() < lines_a.size() * 3 / 4);
    }
}

TEST_CASE("sized configs: at the largest size every BGP neighbour is declared once", "[sim][model][sized]") {
    // A real device merges (JunOS) or refuses a second declaration of a peer;
    // thousands of iBGP peers must still get distinct addresses.
    const std::regex declaration(R"(^ +neighbor (\S+) (remote-as \d+|\{)$)");
    for (Platform p : {Platform::frr, Platform::eos, Platform::junos}) {
        INFO(platform_name(p));
        std::set<std::string> seen;
        int declared = 0;
        std::string first_repeat;
        for (const auto& line : split_lines(sized_config(p, "leaf0042", 41, kMaxConfigLines))) {
            std::smatch m;
            if (!std::regex_match(line, m, declaration)) continue;
            ++declared;
            if (!seen.insert(m[1]).second && first_repeat.empty()) first_repeat = m[1];
        }
        CHECK(declared > 1000);
        CHECK(first_repeat == "");
    }
}

TEST_CASE("sized configs: a size outside the supported range is refused", "[sim][model][sized]") {
    CHECK_THROWS_AS(sized_config(Platform::frr, "r1", 0, kMinConfigLines - 1), std::invalid_argument);
    CHECK_THROWS_AS(sized_config(Platform::eos, "e1", 0, kMaxConfigLines + 1), std::invalid_argument);
}
