#include "default_configs.h"

namespace sim {

// Each config is laid out as the device shows it.
// clang-format off
std::string default_config(Platform p, const std::string& hostname, int index) {
    const std::string loopback = "10.255." + std::to_string((index / 250) % 250) + "." + std::to_string(index % 250 + 1);
    const std::string as = std::to_string(65000 + index % 500);
    switch (p) {
        case Platform::frr:
            return "hostname " + hostname +
                   "\n"
                   "log syslog informational\n"
                   "service integrated-vtysh-config\n"
                   "!\n"
                   "interface lo\n"
                   " ip address " + loopback + "/32\n"
                   "exit\n"
                   "!\n"
                   "router bgp " + as + "\n"
                   " bgp router-id " + loopback + "\n"
                   " no bgp ebgp-requires-policy\n"
                   "exit\n"
                   "!\n";
        case Platform::eos:
            return "no aaa root\n"
                   "!\n"
                   "hostname " + hostname + "\n"
                   "!\n"
                   "spanning-tree mode mstp\n"
                   "!\n"
                   "interface Ethernet1\n"
                   "   no switchport\n"
                   "!\n"
                   "interface Loopback0\n"
                   "   ip address " + loopback + "/32\n"
                   "!\n"
                   "ip routing\n"
                   "!\n"
                   "router bgp " + as + "\n"
                   "   router-id " + loopback + "\n"
                   "!\n"
                   "management api http-commands\n"
                   "   no shutdown\n"
                   "!\n";
        case Platform::junos:
            return "system {\n"
                   "    host-name " + hostname + ";\n"
                   "    services {\n"
                   "        ssh;\n"
                   "        netconf {\n"
                   "            ssh;\n"
                   "        }\n"
                   "    }\n"
                   "}\n"
                   "interfaces {\n"
                   "    lo0 {\n"
                   "        unit 0 {\n"
                   "            family inet {\n"
                   "                address " + loopback + "/32;\n"
                   "            }\n"
                   "        }\n"
                   "    }\n"
                   "}\n"
                   "routing-options {\n"
                   "    router-id " + loopback + ";\n"
                   "    autonomous-system " + as + ";\n"
                   "}\n";
    }
    return {};
}
// clang-format on

}  // namespace sim
