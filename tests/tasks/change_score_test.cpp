#include "tasks/change_score.h"

#include <catch2/catch.hpp>

using namespace switchyard::tasks;

namespace {
std::string config_of(int lines) {
    std::string c;
    for (int i = 0; i < lines; ++i) c += "line " + std::to_string(i) + "\n";
    return c;
}
}  // namespace

TEST_CASE("descriptions and comments weigh nothing", "[change_score]") {
    std::string diff = "--- running\n+++ intended\n@@ -1,2 +1,2 @@\n- description old uplink\n+ description new uplink\n";
    // Only the 20 % share for "2 of 200 lines changed" remains.
    CHECK(device_change_score(config_of(200), diff) == 0);
    CHECK(device_change_score(config_of(200), "") == 0);
}

TEST_CASE("removed routing and removed addresses weigh most", "[change_score]") {
    auto routing = device_change_score(config_of(100), "-router bgp 65000\n");
    auto address = device_change_score(config_of(100), "- ip address 10.0.0.1/31\n");
    auto plain = device_change_score(config_of(100), "+ip route 10.9.0.0/24 Null0\n");
    auto ntp = device_change_score(config_of(100), "+ntp server 192.0.2.10\n");
    CHECK(routing == 40);  // 50 * 0.8, plus 1 % of 20
    CHECK(address == 8);
    CHECK(plain == 1);
    CHECK(ntp == 1);
    CHECK(routing > address);
    CHECK(address > plain);
}

TEST_CASE("scores stay within 0-100; a failed device makes the job 100", "[change_score]") {
    std::string many;
    for (int i = 0; i < 30; ++i) many += "-router ospf " + std::to_string(i) + "\n";
    CHECK(device_change_score(config_of(10), many) == 100);
    CHECK(job_change_score({3, 21, 7}, false) == 21);
    CHECK(job_change_score({3}, true) == 100);
    CHECK(job_change_score({}, false) == 0);
}

TEST_CASE("a diff that repeats itself weighs less", "[change_score]") {
    std::string same, different;
    for (int i = 0; i < 4; ++i) {
        same += "+vlan 10\n";
        different += "+vlan 1" + std::to_string(i) + "\n";
    }
    CHECK(device_change_score(config_of(400), same) < device_change_score(config_of(400), different));
}
