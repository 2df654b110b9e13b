#include <catch2/catch.hpp>

#include "devices/inventory.h"

using namespace switchyard::devices;

namespace {
std::string error_of(const std::string& text) {
    try {
        parse_inventory(text);
    } catch (const InventoryError& e) {
        return e.what();
    }
    return "";
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("hostnames are DNS label sequences", "[devices][inventory]") {
    CHECK(hostname_error("r1").empty());
    CHECK(hostname_error("core-1.dc1.example.net").empty());
    CHECK(hostname_error("").size() > 0);
    CHECK(hostname_error("-r1").size() > 0);
    CHECK(hostname_error("r1-").size() > 0);
    CHECK(hostname_error("r1..x").size() > 0);
    CHECK(hostname_error("r_1").size() > 0);
    CHECK(hostname_error(std::string(64, 'a')).size() > 0);
    CHECK(hostname_error(std::string(63, 'a')).empty());
}

TEST_CASE("management addresses parse as IPv4 or IPv6", "[devices][inventory]") {
    CHECK(ip_error("10.0.0.1").empty());
    CHECK(ip_error("2001:db8::1").empty());
    CHECK(ip_error("10.0.0.256").size() > 0);
    CHECK(ip_error("r1.example.net").size() > 0);
    CHECK(ip_error("").size() > 0);
}

TEST_CASE("a YAML device list parses with defaults", "[devices][inventory]") {
    auto devices = parse_inventory(R"(
- hostname: r1
  management_ip: 192.0.2.1
  platform: frr
  device_type: core
  groups: [edge, lab]
- hostname: sw2
  management_ip: "2001:db8::2"
  port: 2222
  platform: EOS
  state: UNMANAGED
)");
    REQUIRE(devices.size() == 2);
    CHECK(devices[0].port == 22);
    CHECK(devices[0].platform == Platform::frr);
    CHECK(devices[0].device_type == DeviceType::CORE);
    CHECK(devices[0].state == DeviceState::MANAGED);
    CHECK(devices[0].groups == std::vector<std::string>{"edge", "lab"});
    CHECK(devices[1].port == 2222);
    CHECK(devices[1].platform == Platform::eos);
    CHECK(devices[1].device_type == DeviceType::UNKNOWN);
    CHECK(devices[1].state == DeviceState::UNMANAGED);
}

TEST_CASE("a JSON device list parses too", "[devices][inventory]") {
    auto devices = parse_inventory(
        R"({"devices": [{"hostname": "j1", "management_ip": "10.1.1.1", "platform": "junos", "port": 830}]})");
    REQUIRE(devices.size() == 1);
    CHECK(devices[0].platform == Platform::junos);
    CHECK(devices[0].port == 830);
}

TEST_CASE("one bad entry rejects the whole list, naming entry and field", "[devices][inventory]") {
    std::string good = "- {hostname: r1, management_ip: 10.0.0.1, platform: frr}\n";
    auto e = error_of(good + "- {hostname: r2, management_ip: 10.0.0.999, platform: frr}\n");
    CHECK(contains(e, "device #2 (r2)"));
    CHECK(contains(e, "management_ip"));

    e = error_of(good + "- {hostname: r2, management_ip: 10.0.0.2, platform: ios}\n");
    CHECK(contains(e, "#2 (r2)"));
    CHECK(contains(e, "platform"));
    CHECK(contains(e, "ios"));

    e = error_of(good + "- {hostname: r2, management_ip: 10.0.0.2, platform: frr, port: 70000}\n");
    CHECK(contains(e, "port"));
    e = error_of(good + "- {hostname: r2, management_ip: 10.0.0.2, platform: frr, port: 0}\n");
    CHECK(contains(e, "port"));
    e = error_of(good + "- {hostname: r2, management_ip: 10.0.0.2, platform: frr, port: 22x}\n");
    CHECK(contains(e, "port"));

    e = error_of(good + "- {hostname: bad_name, management_ip: 10.0.0.2, platform: frr}\n");
    CHECK(contains(e, "hostname"));
    e = error_of(good + "- {management_ip: 10.0.0.2, platform: frr}\n");
    CHECK(contains(e, "device #2"));
    CHECK(contains(e, "'hostname' is missing"));
    e = error_of(good + "- {hostname: r2, managment_ip: 10.0.0.2, platform: frr}\n");
    CHECK(contains(e, "unknown field 'managment_ip'"));
    e = error_of(good + good);
    CHECK(contains(e, "more than once"));
    e = error_of(good + "- {hostname: r2, management_ip: 10.0.0.2, platform: frr, device_type: SPINE}\n");
    CHECK(contains(e, "device_type"));
    e = error_of("hostname: r1\n");
    CHECK(contains(e, "list"));
    e = error_of("- [unterminated\n");
    CHECK(contains(e, "not valid"));
}

TEST_CASE("validate checks a Device built in code", "[devices][inventory]") {
    Device d;
    d.hostname = "r1";
    d.management_ip = "10.0.0.1";
    CHECK_NOTHROW(validate(d));
    d.port = 0;
    CHECK_THROWS_AS(validate(d), InventoryError);
}
