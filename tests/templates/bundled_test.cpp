// The bundled example templates and settings: every platform renders for every
// device type, and the frr output is a config the frr driver can diff.
#include <catch2/catch.hpp>

#include "devices/frr_changeset.h"
#include "templates/render.h"

using namespace switchyard;

namespace {

devices::Device example(devices::Platform p, devices::DeviceType t) {
    devices::Device d;
    const std::string type(devices::to_string(t));
    std::string suffix = type == "CORE" ? "core1" : type == "DIST" ? "dist1" : type == "ACCESS" ? "access1" : "new1";
    d.hostname = std::string(devices::to_string(p)) + "-" + suffix;
    d.management_ip = "192.0.2.20";
    d.platform = p;
    d.device_type = t;
    d.groups = {"site-a"};
    return d;
}

constexpr devices::Platform kPlatforms[] = {devices::Platform::frr, devices::Platform::eos, devices::Platform::junos};
constexpr devices::DeviceType kTypes[] = {devices::DeviceType::ACCESS, devices::DeviceType::DIST,
                                          devices::DeviceType::CORE, devices::DeviceType::UNKNOWN};

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// Each of `lines` stands whole in the config (one may span several lines).
void check_lines(const std::string& config, std::initializer_list<std::string> lines) {
    for (const auto& line : lines) {
        INFO("line: " << line);
        CHECK(has_line(config, line));
    }
}

// A JunOS `name {` directly followed by its `}`: nothing a device would print.
bool has_empty_block(const std::string& text) {
    std::size_t open = 0;
    while ((open = text.find(" {\n", open)) != std::string::npos) {
        const auto next = text.find_first_not_of(' ', open + 3);
        if (next != std::string::npos && text.compare(next, 2, "}\n") == 0) return true;
        open += 3;
    }
    return false;
}

}  // namespace

TEST_CASE("the bundled directories are compiled in as the defaults") {
    const templates::RenderSources src;
    CHECK(src.templates_dir == templates::bundled_templates_dir());
    CHECK(src.settings_dir == templates::bundled_settings_dir());
}

TEST_CASE("every bundled platform renders for every device type") {
    for (auto p : kPlatforms) {
        for (auto t : kTypes) {
            const auto d = example(p, t);
            INFO(d.hostname << " " << devices::to_string(t));
            std::string out;
            REQUIRE_NOTHROW(out = templates::render_device_config(d));
            CHECK_THAT(out, Catch::Contains(d.hostname));
            CHECK_THAT(out, !Catch::Contains("\n\n") && !Catch::Contains("!\n!\n"));
            CHECK(!has_empty_block(out));
            if (p != devices::Platform::frr) {
                CHECK_THAT(out, Catch::Contains("192.0.2.20/24"));    // management address
                CHECK_THAT(out, Catch::Contains("10.1.0.123"));       // NTP from group site-a
                CHECK_THAT(out, Catch::Contains("$6$EXAMPLEsalt$"));  // user secrets from settings
            }
        }
    }
}

TEST_CASE("bundled configs have each platform's shape") {
    const auto frr = templates::render_device_config(example(devices::Platform::frr, devices::DeviceType::CORE));
    check_lines(frr, {"hostname frr-core1", "interface eth1", " description to frr-dist1", " ip address 10.0.1.0/31",
                      "exit", "router bgp 65000", " neighbor 10.0.1.1 remote-as 65100",
                      " neighbor 10.0.1.1 password example-bgp-secret", " address-family ipv4 unicast",
                      "  network 10.255.0.1/32", " exit-address-family", "ip route 198.51.100.0/24 Null0"});
    CHECK_THAT(frr, Catch::EndsWith("end\n"));

    const auto eos = templates::render_device_config(example(devices::Platform::eos, devices::DeviceType::DIST));
    check_lines(
        eos, {"hostname eos-dist1", "vlan 10", "   name users", "interface Ethernet2", "   switchport access vlan 10",
              "interface Ethernet1\n   description to eos-core1\n   no switchport\n   ip address 10.0.2.1/31",
              "interface Vlan10\n   description users gateway\n   ip address 10.20.10.1/24",
              "   neighbor 10.0.2.0 remote-as 65001", "snmp-server location Site A, building 2, room 101",
              "username admin privilege 15 role network-admin secret sha512 "
              "$6$EXAMPLEsalt$FAKE.HASH.FOR.DOCS.ONLY.admin"});

    const auto junos = templates::render_device_config(example(devices::Platform::junos, devices::DeviceType::ACCESS));
    check_lines(
        junos, {"    host-name junos-access1;", "    ge-0/0/2 {", "        disable;", "                    members 20;",
                "        route 0.0.0.0/0 next-hop 192.0.2.1;", "        vlan-id 20;"});
    // Curly braces balance.
    CHECK(std::count(junos.begin(), junos.end(), '{') == std::count(junos.begin(), junos.end(), '}'));
}

TEST_CASE("bundled frr configs parse as frr configs and diff against a running config") {
    for (auto t : kTypes) {
        const auto d = example(devices::Platform::frr, t);
        INFO(d.hostname);
        const auto rendered = templates::render_device_config(d);
        CHECK(devices::frr_changeset(rendered, rendered).empty());
        const std::string running = "frr version 8.4.4\nfrr defaults traditional\nhostname " + d.hostname +
                                    "\nlog syslog informational\nservice integrated-vtysh-config\n!\ninterface eth0\n "
                                    "ip address 192.0.2.20/24\n ip address 198.51.100.7/24\nexit\n!\nend\n";
        const auto changes = devices::frr_changeset(running, rendered);
        CHECK_FALSE(changes.empty());
        // The management port keeps its address; the stale one is negated.
        // Deletions are stored negated, as they are typed.
        const devices::FrrChange keep{{"interface eth0"}, "ip address 192.0.2.20/24"};
        const devices::FrrChange keep_negated{{"interface eth0"}, "no ip address 192.0.2.20/24"};
        const devices::FrrChange stale{{"interface eth0"}, "no ip address 198.51.100.7/24"};
        CHECK(std::find(changes.additions.begin(), changes.additions.end(), keep) == changes.additions.end());
        CHECK(std::find(changes.deletions.begin(), changes.deletions.end(), keep_negated) == changes.deletions.end());
        CHECK(std::find(changes.deletions.begin(), changes.deletions.end(), stale) != changes.deletions.end());
    }
    const auto core = templates::render_device_config(example(devices::Platform::frr, devices::DeviceType::CORE));
    const auto parsed = devices::parse_frr_config(core);
    const auto* af = parsed.find({"router bgp 65000", "address-family ipv4 unicast"});
    REQUIRE(af != nullptr);
    CHECK(std::find(af->lines.begin(), af->lines.end(), "network 10.255.0.1/32") != af->lines.end());
    const auto* lo = parsed.find({"interface lo"});
    REQUIRE(lo != nullptr);
    CHECK(lo->lines == std::vector<std::string>{"ip address 10.255.0.1/32"});
}
