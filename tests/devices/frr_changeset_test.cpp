#include <catch2/catch.hpp>
#include <sstream>

#include "devices/frr_changeset.h"

using namespace switchyard::devices;

namespace {
const char* kRunning = R"(Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname r1
service integrated-vtysh-config
!
interface eth0
 description old
 ip address 10.0.0.1/24
exit
!
router bgp 65000
 bgp router-id 1.1.1.1
 neighbor 10.0.0.2 remote-as 65001
 !
 address-family ipv4 unicast
  network 10.1.0.0/24
  network 10.2.0.0/24
 exit-address-family
exit
!
route-map RM permit 10
 set local-preference 200
exit
!
ip prefix-list PL seq 5 permit 10.0.0.0/8 le 24
!
line vty
 exec-timeout 10 0
exit
!
end
)";
}  // namespace

TEST_CASE("frr config parses into contexts", "[devices][frr]") {
    auto cfg = parse_frr_config(kRunning);
    REQUIRE(cfg.find({"hostname r1"}));
    CHECK(cfg.find({"hostname r1"})->single_line);
    auto* bgp = cfg.find({"router bgp 65000"});
    REQUIRE(bgp);
    CHECK(bgp->lines == std::vector<std::string>{"bgp router-id 1.1.1.1", "neighbor 10.0.0.2 remote-as 65001"});
    auto* af = cfg.find({"router bgp 65000", "address-family ipv4 unicast"});
    REQUIRE(af);
    CHECK(af->lines == std::vector<std::string>{"network 10.1.0.0/24", "network 10.2.0.0/24"});
    CHECK(cfg.find({"ip prefix-list PL seq 5 permit 10.0.0.0/8 le 24"}));
    CHECK(cfg.find({"line vty"})->lines == std::vector<std::string>{"exec-timeout 10 0"});
    CHECK_FALSE(cfg.find({"frr version 8.4.4"}));
    CHECK_FALSE(cfg.find({"end"}));
}

TEST_CASE("identical configs give an empty change set", "[devices][frr]") {
    CHECK(frr_changeset(kRunning, kRunning).empty());
    // Banners, separators and spacing do not count.
    std::string squeezed = kRunning;
    squeezed.replace(squeezed.find("bgp router-id"), 13, "bgp  router-id");
    CHECK(frr_changeset(kRunning, squeezed).empty());
}

TEST_CASE("changes within contexts: negate removed lines, add new ones", "[devices][frr]") {
    std::string candidate = kRunning;
    candidate.replace(candidate.find(" description old"), 16, " description new");
    candidate.replace(candidate.find("  network 10.2.0.0/24\n"), 22, "  network 10.3.0.0/24\n");
    auto set = frr_changeset(kRunning, candidate);
    CHECK(set.deletions ==
          std::vector<FrrChange>{{{"interface eth0"}, "no description old"},
                                 {{"router bgp 65000", "address-family ipv4 unicast"}, "no network 10.2.0.0/24"}});
    CHECK(set.additions ==
          std::vector<FrrChange>{{{"interface eth0"}, "description new"},
                                 {{"router bgp 65000", "address-family ipv4 unicast"}, "network 10.3.0.0/24"}});
    CHECK(set.vtysh_lines() == std::vector<std::string>{"interface eth0", " no description old", "exit",
                                                        "router bgp 65000", " address-family ipv4 unicast",
                                                        "  no network 10.2.0.0/24", " exit-address-family", "exit",
                                                        "interface eth0", " description new", "exit",
                                                        "router bgp 65000", " address-family ipv4 unicast",
                                                        "  network 10.3.0.0/24", " exit-address-family", "exit"});
}

TEST_CASE("removed blocks go with one `no`, interfaces line by line", "[devices][frr]") {
    std::string candidate = R"(hostname r2
service integrated-vtysh-config
interface eth0
 ip address 10.0.0.1/24
exit
router ospf
 ospf router-id 1.1.1.1
exit
line vty
 exec-timeout 10 0
exit
)";
    auto set = frr_changeset(kRunning, candidate);
    CHECK(set.deletions == std::vector<FrrChange>{{{}, "no hostname r1"},
                                                  {{"interface eth0"}, "no description old"},
                                                  {{}, "no router bgp 65000"},
                                                  {{}, "no route-map RM permit 10"},
                                                  {{}, "no ip prefix-list PL seq 5 permit 10.0.0.0/8 le 24"}});
    CHECK(set.additions == std::vector<FrrChange>{{{}, "hostname r2"}, {{"router ospf"}, "ospf router-id 1.1.1.1"}});
    auto lines = set.vtysh_lines();
    // Deletions come before additions.
    auto no_host = std::find(lines.begin(), lines.end(), "no hostname r1");
    auto host = std::find(lines.begin(), lines.end(), "hostname r2");
    CHECK(no_host < host);
}

TEST_CASE("the reverse change set restores the previous config", "[devices][frr]") {
    std::string candidate =
        "hostname r1\nrouter bgp 65001\n neighbor 10.0.0.9 remote-as 65009\nexit\ninterface lo\nexit\n";
    auto forward = frr_changeset(kRunning, candidate);
    CHECK(std::find(forward.additions.begin(), forward.additions.end(), FrrChange{{"interface lo"}, ""}) !=
          forward.additions.end());
    auto back = frr_changeset(candidate, kRunning);
    CHECK(std::find(back.deletions.begin(), back.deletions.end(), FrrChange{{}, "no router bgp 65001"}) !=
          back.deletions.end());
    CHECK(std::find(back.additions.begin(), back.additions.end(),
                    FrrChange{{"router bgp 65000", "address-family ipv4 unicast"}, "network 10.1.0.0/24"}) !=
          back.additions.end());
}

TEST_CASE("a `no` line in the config is negated by removing the `no`", "[devices][frr]") {
    CHECK(negate_frr_line("no ip forwarding") == "ip forwarding");
    CHECK(negate_frr_line("ip forwarding") == "no ip forwarding");
    auto set = frr_changeset("no ipv6 forwarding\n", "");
    CHECK(set.deletions == std::vector<FrrChange>{{{}, "ipv6 forwarding"}});
}

#include "devices/config_compare.h"
#include "devices/config_diff.h"

TEST_CASE("an frr diff shows what changes, not the order vtysh prints blocks in", "[frr]") {
    const std::string running =
        "frr version 8.4.4\nhostname r1\n!\ninterface lo\nexit\n!\ndomainname example.net\n"
        "ip route 198.51.100.0/24 10.0.0.1\n!\ninterface eth0\n ip address 10.0.0.1/24\nexit\n!\nend\n";
    const std::string intended =
        "hostname r1\ndomainname example.net\n!\ninterface eth0\n ip address 10.0.0.1/24\nexit\n"
        "!\nip route 198.51.100.0/24 10.0.0.1\nip route 203.0.113.0/24 10.0.0.1\n!\nend\n";
    auto from = comparable_running_config(Platform::frr, running, intended);
    auto diff = unified_diff(from, comparable_config(Platform::frr, intended));
    INFO(diff);
    CHECK(diff.find("+ip route 203.0.113.0/24 10.0.0.1") != std::string::npos);
    // Only that line changes: no block moved, the empty `interface lo` gone.
    int changed = 0;
    std::istringstream in(diff);
    for (std::string line; std::getline(in, line);)
        if ((line[0] == '+' || line[0] == '-') && line.rfind("+++", 0) && line.rfind("---", 0)) ++changed;
    CHECK(changed == 1);
    // A block only the device has stays behind the block it followed there
    // (not after `end`), so it shows as removed where the device prints it.
    std::string with_bgp = running;
    with_bgp.insert(with_bgp.find("end\n"), "router bgp 65001\n bgp router-id 1.1.1.1\nexit\n");
    auto extra = comparable_running_config(Platform::frr, with_bgp, intended);
    CHECK(extra.find(" ip address 10.0.0.1/24\nexit\nrouter bgp 65001\n bgp router-id 1.1.1.1\nexit\n") !=
          std::string::npos);
    CHECK(extra.rfind("end\n") == extra.size() - 4);
    // Other platforms are compared as printed.
    CHECK(comparable_running_config(Platform::eos, running, intended) == comparable_config(Platform::eos, running));
}
