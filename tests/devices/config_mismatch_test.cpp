// A verify failure names the lines (issue 10 item 8): what keeps a device's
// running config from being the intended one, for each platform.
#include <catch2/catch.hpp>

#include "devices/config_compare.h"

using namespace switchyard::devices;

TEST_CASE("a config mismatch lists missing and extra lines", "[devices][compare]") {
    std::string intended = "hostname sw1\ninterface Ethernet1\n   description uplink\n   mtu 9214\n";
    std::string running = "hostname sw1\ninterface Ethernet1\n   description old\n   mtu 9214\n";
    CHECK(config_matches(Platform::eos, intended, intended));
    CHECK(config_mismatch(Platform::eos, intended, intended).missing.empty());
    auto m = config_mismatch(Platform::eos, running, intended);
    CHECK(m.missing == std::vector<std::string>{"   description uplink"});
    CHECK(m.extra == std::vector<std::string>{"   description old"});
    CHECK(describe(m) == "missing: `   description uplink`; extra: `   description old`");
}

TEST_CASE("frr: a line vtysh accepts but does not show is named as missing", "[devices][compare]") {
    // `ip forwarding` is FRR's default and not shown; the push "succeeds".
    std::string intended =
        "frr version 8.4\nhostname r1\nip forwarding\nrouter bgp 65000\n neighbor 10.0.0.2 remote-as 65001\nexit\n";
    std::string running = "frr version 8.4\nhostname r1\nrouter bgp 65000\n neighbor 10.0.0.3 remote-as 65001\nexit\n";
    REQUIRE_FALSE(config_matches(Platform::frr, running, intended));
    auto m = config_mismatch(Platform::frr, running, intended);
    CHECK(m.missing ==
          std::vector<std::string>{"ip forwarding", "router bgp 65000 > neighbor 10.0.0.2 remote-as 65001"});
    CHECK(m.extra == std::vector<std::string>{"router bgp 65000 > neighbor 10.0.0.3 remote-as 65001"});
    CHECK(config_mismatch(Platform::frr, intended, intended).missing.empty());
}

TEST_CASE("a mismatch description is bounded in lines and in bytes", "[devices][compare]") {
    ConfigMismatch m;
    for (int i = 0; i < 20; ++i) m.missing.push_back("vlan " + std::to_string(i));
    auto text = describe(m, 3);
    CHECK(text == "missing: `vlan 0`, `vlan 1`, `vlan 2` (and 17 more)");
    // A long line is cut between UTF-8 characters (each "ü" is two bytes).
    std::string long_line = "description " + std::string(1, 'x');
    for (int i = 0; i < 300; ++i) long_line += "\xc3\xbc";
    m = {};
    m.extra.push_back(long_line);
    text = describe(m);
    CHECK(text.size() < 220);
    CHECK_THAT(text, Catch::Contains("(" + std::to_string(long_line.size()) + " bytes)"));
    auto quoted = text.substr(text.find('`') + 1, text.find("...") - text.find('`') - 1);
    CHECK(quoted.size() <= 160);
    CHECK((static_cast<unsigned char>(quoted.back()) & 0xC0) != 0xC0);  // not a lead byte cut from its tail
    CHECK((quoted.size() - 13) % 2 == 0);                               // whole "ü"s after "description x"
}
