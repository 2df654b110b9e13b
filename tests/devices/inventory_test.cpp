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

// `error_of` (a validator: empty when the text is fine) finds nothing wrong
// with each of `valid` and something with each of `invalid`.
void check_validator(std::string (*error_of)(std::string_view), const std::vector<std::string>& valid,
                     const std::vector<std::string>& invalid) {
    for (const auto& text : valid) {
        INFO("valid: '" << text << "'");
        CHECK(error_of(text).empty());
    }
    for (const auto& text : invalid) {
        INFO("invalid: '" << text << "'");
        CHECK_FALSE(error_of(text).empty());
    }
}
}  // namespace

TEST_CASE("hostnames are DNS label sequences", "[devices][inventory]") {
    check_validator(hostname_error, {"r1", "core-1.dc1.example.net", std::string(63, 'a')},
                    {"", "-r1", "r1-", "r1..x", "r_1", std::string(64, 'a')});
}

TEST_CASE("management addresses parse as IPv4 or IPv6", "[devices][inventory]") {
    check_validator(ip_error, {"10.0.0.1", "2001:db8::1"}, {"10.0.0.256", "r1.example.net", ""});
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
