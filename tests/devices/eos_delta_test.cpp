// Issue 16: an eos push types only the lines that differ into a session that
// starts as a copy of the running config (devices/eos_delta.h).
#include <catch2/catch.hpp>

#include "devices/eos_delta.h"

using namespace switchyard::devices;

namespace {

const char* kRunning =
    "! Command: show running-config\n"
    "! device: sw1 (vEOS-lab, EOS-4.31.2F)\n"
    "!\n"
    "hostname sw1\n"
    "no aaa root\n"
    "!\n"
    "vlan 10\n"
    "   name users\n"
    "!\n"
    "interface Ethernet1\n"
    "   description uplink\n"
    "   switchport access vlan 10\n"
    "!\n"
    "interface Loopback9\n"
    "   ip address 10.9.9.9/32\n"
    "!\n"
    "router bgp 65000\n"
    "   neighbor 10.0.0.2 remote-as 65001\n"
    "   address-family ipv4\n"
    "      neighbor 10.0.0.2 activate\n"
    "!\n"
    "end\n";

}  // namespace

TEST_CASE("eos delta: nothing differs, nothing is typed", "[devices][eos_delta]") {
    auto delta = eos_config_delta(kRunning, kRunning);
    REQUIRE(delta);
    CHECK(delta->empty());
}

TEST_CASE("eos delta: one changed line is typed in its context, nothing else", "[devices][eos_delta]") {
    std::string intended = kRunning;
    intended.replace(intended.find("description uplink"), 18, "description core uplink");
    auto delta = eos_config_delta(kRunning, intended);
    REQUIRE(delta);
    CHECK(*delta ==
          "interface Ethernet1\n"
          "   no description uplink\n"
          "   description core uplink\n");
}

TEST_CASE("eos delta: removed blocks by their header, new blocks whole, a shown negation undone",
          "[devices][eos_delta]") {
    const std::string intended =
        "hostname sw1\n"
        "vlan 10\n"
        "   name users\n"
        "vlan 20\n"
        "   name voice\n"
        "interface Ethernet1\n"
        "   description uplink\n"
        "   switchport access vlan 10\n"
        "router bgp 65000\n"
        "   neighbor 10.0.0.2 remote-as 65001\n"
        "   router-id 10.9.9.8\n"
        "   address-family ipv4\n"
        "      neighbor 10.0.0.2 activate\n"
        "      network 10.20.0.0/16\n";
    auto delta = eos_config_delta(kRunning, intended);
    REQUIRE(delta);
    // Top level: the negation shown as "no aaa root" goes by typing the line
    // itself, Loopback9 by its header; the new vlan whole. Then the context
    // both have: its own new line before its sub-context's.
    CHECK(*delta ==
          "aaa root\n"
          "no interface Loopback9\n"
          "vlan 20\n"
          "   name voice\n"
          "router bgp 65000\n"
          "   router-id 10.9.9.8\n"
          "   address-family ipv4\n"
          "      network 10.20.0.0/16\n");
}

TEST_CASE("eos delta: banners, mode comments and tabs are left to the full replace", "[devices][eos_delta]") {
    CHECK_FALSE(eos_config_delta(kRunning, std::string(kRunning) + "banner login\nhello\nEOF\n"));
    CHECK_FALSE(eos_config_delta(std::string(kRunning) + "interface Ethernet2\n   !! a note\n", kRunning));
    CHECK_FALSE(eos_config_delta(kRunning, "hostname sw1\ninterface Ethernet1\n\tdescription x\n"));
}

TEST_CASE("eos delta: a context entered twice is one context", "[devices][eos_delta]") {
    const std::string running = "interface Ethernet1\n   no switchport\n   description port 1\n";
    const std::string intended =
        "interface Ethernet1\n   no switchport\ninterface Ethernet2\n   description port 2\n"
        "interface Ethernet1\n   description port 1\n";
    auto delta = eos_config_delta(running, intended);
    REQUIRE(delta);
    CHECK(*delta == "interface Ethernet2\n   description port 2\n");
}

TEST_CASE("eos delta: a device's text nested deeper than any config is left to the full replace",
          "[devices][eos_delta]") {
    // Each line one blank deeper: read as a tree, it would recurse once per line.
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep.append(static_cast<std::size_t>(i), ' ').append("x\n");
    CHECK_FALSE(eos_config_delta(deep, kRunning));
    CHECK(eos_config_delta(kRunning, kRunning));
}
