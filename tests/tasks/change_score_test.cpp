// The change score against CNaaS-NMS's own code, not against our formula:
// every expected value below is what CNaaS-NMS's calculate_score returns for
// the same config and diff (github.com/SUNET/cnaas-nms, commit 1824065,
// src/cnaas_nms/devicehandler/changescore.py:38-65, run with Python 3; its
// raw value is in the comment), rounded and capped as its sync job does
// (src/cnaas_nms/devicehandler/sync_devices.py:984: min(int(score + 0.5), 100)).
#include "tasks/change_score.h"

#include <catch2/catch.hpp>

using namespace switchyard::tasks;

namespace {

std::string config_of(int lines) {
    std::string c;
    for (int i = 0; i < lines; ++i) c += "line " + std::to_string(i) + "\n";
    return c;
}

const std::string kEosConfig =
    "hostname sw1\n"
    "ntp server 10.0.0.2\n"
    "interface Ethernet1\n"
    "   description uplink\n"
    "   no switchport\n"
    "   ip address 10.1.0.3/31\n"
    "interface Ethernet2\n"
    "   switchport access vlan 20\n"
    "router bgp 65001\n"
    "   neighbor 10.1.0.2 remote-as 65000\n"
    "   redistribute connected\n"
    "end\n";

}  // namespace

TEST_CASE("a diff as sync makes it: headers, context, changed lines (CNaaS-NMS's values)", "[change_score]") {
    struct Case {
        const char* what;
        std::string config;
        std::string diff;
        int score;  // rounded as the sync job rounds; the raw value is beside each case
    };
    const Case cases[] = {
        {"an EOS diff with context", kEosConfig,
         "--- running\n"
         "+++ intended\n"
         "@@ -1,9 +1,9 @@\n"
         " hostname sw1\n"
         "-ntp server 10.0.0.1\n"
         "+ntp server 10.0.0.2\n"
         " interface Ethernet1\n"
         "    description uplink\n"
         "    no switchport\n"
         "-   ip address 10.1.0.1/31\n"
         "+   ip address 10.1.0.3/31\n"
         " interface Ethernet2\n"
         "-   switchport access vlan 10\n"
         "+   switchport access vlan 20\n",
         25},  // 25.10769230769231
        {"removed routing", kEosConfig,
         "--- running\n"
         "+++ intended\n"
         "@@ -9,3 +9,0 @@\n"
         "-router bgp 65001\n"
         "-   neighbor 10.1.0.2 remote-as 65000\n"
         "-   redistribute connected\n",
         65},  // 65.2923076923077
        {"a JunOS diff", "system {\n    host-name sw2;\n}\nsnmp {\n    community public;\n}\n",
         "[edit system]\n"
         "-  host-name sw1;\n"
         "+  host-name sw2;\n"
         "[edit snmp]\n"
         "+  community public;\n",
         11},  // 10.971428571428572
        {"a spanning-tree mode", config_of(50),
         "--- running\n+++ intended\n-spanning-tree mode mstp\n+spanning-tree mode rapid-pvst\n",
         83},  // 83.1686274509804
    };
    for (const auto& c : cases) {
        INFO(c.what);
        CHECK(device_change_score(c.config, c.diff) == c.score);
    }
}

TEST_CASE("descriptions and comments weigh nothing, the diff's headers do (CNaaS-NMS's values)", "[change_score]") {
    std::string diff =
        "--- running\n+++ intended\n@@ -1,2 +1,2 @@\n- description old uplink\n+ description new uplink\n";
    // CNaaS-NMS counts the "---"/"+++" lines as changed lines of weight 1.
    CHECK(device_change_score(config_of(200), diff) == 2);  // 1.9980099502487563
    CHECK(device_change_score(config_of(200), "") == 0);    // an empty diff is not scored (sync_devices.py:607-611)
    // A change scores at least 1, as CNaaS-NMS's job score does (max(..., 1),
    // sync_devices.py:984): a JunOS diff of a description alone scores 0.1.
    CHECK(device_change_score(config_of(200),
                              "[edit interfaces ge-0/0/1]\n-  description old;\n+  description new;\n") == 1);
}

TEST_CASE("removed routing and removed addresses weigh most (CNaaS-NMS's values)", "[change_score]") {
    CHECK(device_change_score(config_of(100), "-router bgp 65000\n") == 40);           // 40.198019801980195
    CHECK(device_change_score(config_of(100), "- ip address 10.0.0.1/31\n") == 8);     // 8.198019801980198
    CHECK(device_change_score(config_of(100), "+ip route 10.9.0.0/24 Null0\n") == 1);  // 0.998019801980198
    CHECK(device_change_score(config_of(100), "+ntp server 192.0.2.10\n") == 1);       // 0.5980198019801981
}

TEST_CASE("scores stay within 0-100; a failed device makes the job 100", "[change_score]") {
    std::string many;
    for (int i = 0; i < 30; ++i) many += "-router ospf " + std::to_string(i) + "\n";
    CHECK(device_change_score(config_of(10), many) == 100);  // 1254.5454545454545, capped
    // The job: the highest device score, 100 when a device failed, 0 with no
    // devices (sync_devices.py:979-984). One difference, on purpose: a job
    // whose devices all score 0 stays 0 here, where CNaaS-NMS raises it to 1.
    CHECK(job_change_score({3, 21, 7}, false) == 21);
    CHECK(job_change_score({3}, true) == 100);
    CHECK(job_change_score({}, false) == 0);
}

TEST_CASE("a diff that repeats itself weighs less (CNaaS-NMS's values)", "[change_score]") {
    std::string same, different;
    for (int i = 0; i < 4; ++i) {
        same += "+vlan 10\n";
        different += "+vlan 1" + std::to_string(i) + "\n";
    }
    CHECK(device_change_score(config_of(400), same) == 1);       // 1.3598004987531174
    CHECK(device_change_score(config_of(400), different) == 3);  // 3.399501246882793
}

// The weights are matched as two shapes (a first word after the sign and its
// spaces, or a word anywhere in a removed line), not as regular expressions;
// these values are Python's re with CNaaS-NMS's patterns on the same diffs.
TEST_CASE("each weight matches as CNaaS-NMS's regular expression does", "[change_score]") {
    auto score = [](const char* diff) { return device_change_score(config_of(100), diff); };
    CHECK(score("-   vlan 10\n") == 8);                  // a removed first word, after spaces
    CHECK(score("+vlan 10\n") == 1);                     // weighed only when removed
    CHECK(score("-interface Vlan10\n") == 1);            // not the first word (and case counts)
    CHECK(score("-ip routing\n") == 40);                 // a removed word anywhere
    CHECK(score("-   bgp router-id 10.0.0.1\n") == 40);  // ... even inside another word
    CHECK(score("+ip routing\n") == 1);                  // ... only when removed
    CHECK(score("+ ip address 10.0.0.1/31\n") == 1);     // likewise
    CHECK(score("+spanning-tree mode mst\n") == 40);     // the longer word is tried first
    CHECK(score("+  spanning-tree portfast\n") == 4);    // then the shorter
    CHECK(score("- neighbor 10.0.0.1 remote-as 1\n") == 8);
    CHECK(score("+neighbor 10.0.0.1 remote-as 1\n") == 1);
    CHECK(score("-  vrf definition X\n") == 4);
}
