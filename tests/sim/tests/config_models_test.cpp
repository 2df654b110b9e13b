// Config models without SSH: indented trees, context placement, junos braces
// and compare, unified diffs.
#include <catch2/catch.hpp>

#include "cli_contexts.h"
#include "config_tree.h"
#include "junos_tree.h"
#include "text_diff.h"

using namespace sim;

namespace {
bool skip_bang(std::string_view t) { return t[0] == '!' || t == "exit" || t == "end"; }

std::string apply_all(const std::string& start, const std::vector<std::string>& lines, const ContextRules& rules,
                      int unit) {
    CfgTree tree = parse_indented(start, skip_bang);
    std::vector<std::string> ctx;
    for (const auto& l : lines) apply_config_line(tree, ctx, l, rules);
    return render_plain(tree, unit);
}
}  // namespace

TEST_CASE("indented configs round-trip through the tree", "[sim][model]") {
    std::string text =
        "hostname r1\n!\ninterface lo\n ip address 10.0.0.1/32\nexit\n!\nrouter bgp 65001\n"
        " neighbor 10.0.0.2 remote-as 65002\n !\n address-family ipv4 unicast\n  network 10.1.0.0/24\n"
        " exit-address-family\nexit\n!\nend\n";
    CfgTree t = parse_indented(text, [](std::string_view l) {
        return l[0] == '!' || l == "exit" || l == "end" || l == "exit-address-family";
    });
    REQUIRE(t.size() == 3);
    CHECK(t[2].kids.size() == 2);
    CHECK(t[2].kids[1].kids[0].text == "network 10.1.0.0/24");
    CHECK(render_plain(t, 1) ==
          "hostname r1\ninterface lo\n ip address 10.0.0.1/32\nrouter bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n"
          " address-family ipv4 unicast\n  network 10.1.0.0/24\n");
}

TEST_CASE("frr lines land in the right context", "[sim][model]") {
    std::string out = apply_all(
        "hostname r1\n",
        {"interface eth0", "ip address 192.0.2.1/24", "router bgp 65001", "neighbor 192.0.2.2 remote-as 65002",
         "address-family ipv4 unicast", "network 10.9.0.0/24", "hostname r9"},
        frr_rules(), 1);
    CHECK(
        out ==
        "hostname r9\ninterface eth0\n ip address 192.0.2.1/24\nrouter bgp 65001\n neighbor 192.0.2.2 remote-as 65002\n"
        " address-family ipv4 unicast\n  network 10.9.0.0/24\n");
}

TEST_CASE("frr no-lines remove lines and blocks", "[sim][model]") {
    std::string start =
        "hostname r1\ninterface eth0\n ip address 192.0.2.1/24\n description x\nrouter bgp 1\n"
        " neighbor 1.1.1.1 remote-as 2\n neighbor 1.1.1.1 description peer\n";
    CHECK(apply_all(start, {"interface eth0", "no description x", "no router bgp 1"}, frr_rules(), 1) ==
          "hostname r1\ninterface eth0\n ip address 192.0.2.1/24\n");
    CHECK(apply_all(start, {"router bgp 1", "no neighbor 1.1.1.1"}, frr_rules(), 1) ==
          "hostname r1\ninterface eth0\n ip address 192.0.2.1/24\n description x\nrouter bgp 1\n");
    CHECK(apply_all(start, {"no ipv6 forwarding"}, frr_rules(), 1).find("no ipv6 forwarding") != std::string::npos);
}

TEST_CASE("eos pasted config uses indentation, typed config uses keywords", "[sim][model]") {
    std::string pasted = apply_all("",
                                   {"hostname e1", "interface Ethernet1", "   description up", "   no switchport",
                                    "router bgp 65001", "   router-id 1.1.1.1", "ip routing"},
                                   eos_rules(), 3);
    CHECK(pasted ==
          "hostname e1\ninterface Ethernet1\n   description up\n   no switchport\nrouter bgp 65001\n"
          "   router-id 1.1.1.1\nip routing\n");
    std::string typed = apply_all(pasted, {"interface Ethernet1", "description down", "switchport"}, eos_rules(), 3);
    CHECK(typed ==
          "hostname e1\ninterface Ethernet1\n   description down\nrouter bgp 65001\n   router-id 1.1.1.1\n"
          "ip routing\n");
}

TEST_CASE("junos braces parse, render and compare", "[sim][model]") {
    auto a = parse_junos(
        "## Last commit: x\nversion 20.4R3.8;\nsystem {\n    host-name r1;\n}\n"
        "interfaces { ge-0/0/0 { unit 0 { family inet { address 10.0.0.1/31; } } } }\n");
    REQUIRE(a.ok);
    CHECK(render_junos(a.tree) ==
          "system {\n    host-name r1;\n}\ninterfaces {\n    ge-0/0/0 {\n        unit 0 {\n            family inet {\n"
          "                address 10.0.0.1/31;\n            }\n        }\n    }\n}\n");
    auto b = parse_junos(
        "system { host-name r2; }\ninterfaces { ge-0/0/0 { unit 0 { family inet { address 10.0.0.1/31; } } }"
        " ge-0/0/1 { description x; } }\n");
    REQUIRE(b.ok);
    CHECK(compare_junos(a.tree, b.tree) ==
          "[edit system]\n-   host-name r1;\n+   host-name r2;\n[edit interfaces]\n+   ge-0/0/1 {\n+       description "
          "x;\n"
          "+   }\n");
    CHECK(compare_junos(a.tree, a.tree).empty());
    auto bad = parse_junos("system {\n host-name r1;\n");
    CHECK_FALSE(bad.ok);
    CHECK_FALSE(parse_junos("system { host-name r1 }").ok);
}

TEST_CASE("unified hunks come from dtl", "[sim][model]") {
    CHECK(unified_hunks("a\nb\nc\n", "a\nb\nc\n").empty());
    std::string d = unified_hunks("a\nb\nc\n", "a\nB\nc\n");
    CHECK(d.find("@@ -") == 0);
    CHECK(d.find("-b\n") != std::string::npos);
    CHECK(d.find("+B\n") != std::string::npos);
}
