#include <catch2/catch.hpp>

#include "templates/render.h"
#include "tests/templates/temp_tree.h"

using namespace switchyard;
using templates::test::TempTree;

namespace {

devices::Device device(std::string host, devices::DeviceType type, std::vector<std::string> groups = {}) {
    devices::Device d;
    d.hostname = std::move(host);
    d.management_ip = "192.0.2.10";
    d.platform = devices::Platform::eos;
    d.device_type = type;
    d.groups = std::move(groups);
    return d;
}

}  // namespace

TEST_CASE("settings layer global, device type, groups in order, then device") {
    TempTree t;
    t.write("global.yml", "ntp: global\nsnmp: {location: dc, contact: noc}\nlevel: global\n");
    t.write("device_types/CORE.yml", "level: type\nsnmp: {location: core-room}\n");
    t.write("groups/a.yml", "level: a\ngroup_only: a\n");
    t.write("groups/b.yml", "level: b\n");
    t.write("devices/c1.yml", "level: device\n");
    const auto s = templates::layered_settings(device("c1", devices::DeviceType::CORE, {"a", "b"}), t.path());
    CHECK(s["level"] == "device");
    CHECK(s["ntp"] == "global");
    CHECK(s["group_only"] == "a");
    CHECK(s["snmp"]["location"] == "core-room");  // mappings merge key by key
    CHECK(s["snmp"]["contact"] == "noc");

    const auto other = templates::layered_settings(device("c2", devices::DeviceType::ACCESS, {"b", "a"}), t.path());
    CHECK(other["level"] == "a");  // the later group wins; no type or device file
    CHECK(other["snmp"]["location"] == "dc");
}

TEST_CASE("device fields are available and win over settings of the same name") {
    TempTree t;
    t.write("global.yml", "hostname: not-me\n");
    const auto s = templates::layered_settings(device("sw1", devices::DeviceType::DIST, {"g"}), t.path());
    CHECK(s["hostname"] == "sw1");
    CHECK(s["management_ip"] == "192.0.2.10");
    CHECK(s["platform"] == "eos");
    CHECK(s["device_type"] == "DIST");
    CHECK(s["groups"] == nlohmann::json::array({"g"}));
}

TEST_CASE("interfaces, vlans, neighbors, users and static routes merge by key") {
    TempTree t;
    t.write("global.yml",
            "interfaces:\n"
            "  - {name: Ethernet1, description: old, mtu: 1500}\n"
            "  - {name: Ethernet2, description: two}\n"
            "vlans: [{id: 10, name: users}, {id: 20, name: voice}]\n"
            "bgp:\n  neighbors: [{ip: 10.0.0.1, remote_as: 65001}, {address: 10.0.0.2, remote_as: 65002}]\n"
            "ntp_servers: [a, b]\n");
    t.write("devices/sw1.yml",
            "interfaces:\n"
            "  - {name: Ethernet1, description: new}\n"
            "  - {name: Ethernet3, description: three}\n"
            "vlans: [{id: \"20\", name: phones}]\n"
            "bgp:\n  neighbors: [{address: 10.0.0.2, description: peer2}, {ip: 10.0.0.3, remote_as: 65003}]\n"
            "ntp_servers: [c]\n");
    const auto s = templates::layered_settings(device("sw1", devices::DeviceType::ACCESS), t.path());
    const auto& ifs = s["interfaces"];
    REQUIRE(ifs.size() == 3);
    CHECK(ifs[0] == nlohmann::json({{"name", "Ethernet1"}, {"description", "new"}, {"mtu", 1500}}));
    CHECK(ifs[1]["name"] == "Ethernet2");
    CHECK(ifs[2]["name"] == "Ethernet3");
    REQUIRE(s["vlans"].size() == 2);
    CHECK(s["vlans"][1]["name"] == "phones");  // "20" and 20 are the same VLAN
    const auto& nb = s["bgp"]["neighbors"];
    REQUIRE(nb.size() == 3);
    CHECK(nb[1]["description"] == "peer2");
    CHECK(nb[1]["remote_as"] == 65002);
    CHECK(s["ntp_servers"] == nlohmann::json::array({"c"}));  // other lists are replaced
}

TEST_CASE("a list item without its merge key is an error naming the file") {
    TempTree t;
    t.write("groups/g.yml", "interfaces:\n  - {description: nameless}\n");
    try {
        templates::layered_settings(device("sw1", devices::DeviceType::ACCESS, {"g"}), t.path());
        FAIL("no error");
    } catch (const templates::TemplateError& e) {
        const std::string msg = e.what();
        CHECK_THAT(msg, Catch::Contains("sw1: "));
        CHECK_THAT(msg, Catch::Contains(t.path("groups/g.yml")));
        CHECK_THAT(msg, Catch::Contains("'name'"));
    }
}

TEST_CASE("invalid YAML names the file and the line") {
    TempTree t;
    t.write("device_types/CORE.yml", "ok: 1\nbad: [1, 2\nnext: 3\n");
    try {
        templates::layered_settings(device("c1", devices::DeviceType::CORE), t.path());
        FAIL("no error");
    } catch (const templates::TemplateError& e) {
        const std::string msg = e.what();
        CHECK_THAT(msg, Catch::Contains("c1: invalid YAML in " + t.path("device_types/CORE.yml") + " line 3"));
    }
}

TEST_CASE("a settings file that is not a mapping names file and line") {
    TempTree t;
    t.write("global.yml", "- a\n- b\n");
    CHECK_THROWS_WITH(templates::layered_settings(device("c1", devices::DeviceType::CORE), t.path()),
                      Catch::Contains(t.path("global.yml") + " line 1") && Catch::Contains("mapping"));
}

TEST_CASE("scalars keep YAML's types; quoted ones stay strings") {
    TempTree t;
    t.write("global.yml", "asn: 65000\nzip: \"01234\"\nlead: 010\nflag: true\nnone: ~\nratio: 1.5\n");
    const auto s = templates::layered_settings(device("c1", devices::DeviceType::CORE), t.path());
    CHECK(s["asn"] == 65000);
    CHECK(s["zip"] == "01234");
    CHECK(s["lead"] == "010");
    CHECK(s["flag"] == true);
    CHECK(s["none"].is_null());
    CHECK(s["ratio"] == "1.5");
}

TEST_CASE("missing settings files are fine, a missing settings directory is not") {
    TempTree t;
    const auto s = templates::layered_settings(device("c1", devices::DeviceType::CORE, {"nogroup"}), t.path());
    CHECK(s["hostname"] == "c1");
    CHECK_THROWS_WITH(templates::layered_settings(device("c1", devices::DeviceType::CORE), t.path("nope")),
                      Catch::Contains("does not exist"));
    CHECK(templates::layered_settings(device("c1", devices::DeviceType::CORE), "")["hostname"] == "c1");
    CHECK_THROWS_AS(templates::layered_settings(device("c1", devices::DeviceType::CORE, {"../x"}), t.path()),
                    templates::TemplateError);
}
