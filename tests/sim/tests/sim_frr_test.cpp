// frr personality over real SSH (OpenSSH client): exec and PTY shell.
#include <catch2/catch.hpp>

#include "sim_harness.h"

using simtest::contains;

TEST_CASE("frr: show running-config over an exec channel", "[sim][ssh][frr]") {
    simtest::Sim sim(simtest::one_device_args("frr", "frr", "23101"));
    auto r = sim.exec("frr0001", "show running-config");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("Building configuration...\n\nCurrent configuration:\n!\nfrr version ", 0) == 0);
    CHECK(contains(r.out, "frr defaults traditional\nhostname frr0001\n"));
    CHECK(contains(r.out, "\nrouter bgp 65000\n bgp router-id 10.255.0.1\n"));
    CHECK(r.out.size() >= 5);
    CHECK(r.out.substr(r.out.size() - 5) == "\nend\n");
    auto bad = sim.exec("frr0001", "show nonsense");
    CHECK(bad.status == 1);
    CHECK(contains(bad.out, "% Unknown command: show nonsense"));
}

TEST_CASE("frr: configure terminal in a PTY shell changes the running config", "[sim][ssh][frr]") {
    simtest::Sim sim(simtest::one_device_args("frr", "frr", "23111"));
    // Prompts and echo as vtysh shows them on a terminal.
    simtest::check_shell(sim, "frr0001",
                         "terminal length 0\n"
                         "configure terminal\n"
                         "interface eth1\n"
                         " ip address 192.0.2.1/24\n"
                         "exit\n"
                         "router bgp 65000\n"
                         "neighbor 192.0.2.2 remote-as 65002\n"
                         "address-family ipv4 unicast\n"
                         "network 10.9.0.0/24\n"
                         "exit-address-family\n"
                         "no bgp ebgp-requires-policy\n"
                         "end\n"
                         "write memory\n"
                         "exit\n",
                         {
                             "frr0001# terminal length 0\r\n",
                             "frr0001(config)# interface eth1\r\n",
                             "frr0001(config-if)#  ip address 192.0.2.1/24\r\n",
                             "frr0001(config-router)# address-family ipv4 unicast\r\n",
                             "frr0001(config-router-af)# network 10.9.0.0/24\r\n",
                             "Building Configuration...\r\n",
                             "[OK]\r\n",
                         });
    const std::string running = sim.running("frr0001");
    CHECK(contains(running, "interface eth1\n ip address 192.0.2.1/24\n"));
    CHECK(contains(running,
                   " neighbor 192.0.2.2 remote-as 65002\n address-family ipv4 unicast\n  network 10.9.0.0/24\n"));
    // Negating an absent default keeps the one stored negation, as vtysh does.
    CHECK(running.find("no bgp ebgp-requires-policy") == running.rfind("no bgp ebgp-requires-policy"));

    // The show form re-creates vtysh's separators.
    auto show = sim.exec("frr0001", "show running-config");
    CHECK(contains(show.out, " !\n address-family ipv4 unicast\n  network 10.9.0.0/24\n exit-address-family\nexit\n"));

    // Newline-separated commands in one exec, as `vtysh -c` accepts.
    auto multi = sim.exec("frr0001", "configure terminal\nno interface eth1\nend");
    CHECK(multi.status == 0);
    CHECK_FALSE(contains(sim.running("frr0001"), "eth1"));
}
