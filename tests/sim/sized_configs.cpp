#include "sized_configs.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace sim {

namespace {

// splitmix64 seeded with FNV-1a of the hostname: the same sequence on every
// machine and standard library (std::*_distribution are not specified).
class NameRandom {
public:
    explicit NameRandom(std::string_view name) {
        for (unsigned char c : name) state_ = (state_ ^ c) * 1099511628211ull;
    }
    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
    template <size_t N>
    const char* pick(const char* const (&words)[N]) {
        return words[below(static_cast<int>(N))];
    }

private:
    uint64_t state_ = 1469598103934665603ull;
};

// Text written line by line, counted as it grows.
class Lines {
public:
    void add(std::string_view line) {
        text_ += line;
        text_ += '\n';
        ++count_;
    }
    void add(const Lines& other) {
        text_ += other.text_;
        count_ += other.count_;
    }
    int count() const { return count_; }
    std::string take() { return std::move(text_); }

private:
    std::string text_;
    int count_ = 0;
};

std::string str(long v) { return std::to_string(v); }

std::string ipv4(uint32_t a) {
    return str(a >> 24) + "." + str((a >> 16) & 255) + "." + str((a >> 8) & 255) + "." + str(a & 255);
}

constexpr const char* kVlanNames[] = {"USERS",   "VOICE",   "PRINTERS",      "CAMERAS", "WIFI-STAFF", "WIFI-GUEST",
                                      "SERVERS", "STORAGE", "BUILDING-MGMT", "LAB",     "POS",        "IOT"};
constexpr const char* kAccessDescriptions[] = {"srv-rack", "ap-floor",  "printer", "cam",   "desk",
                                               "pos",      "lab-bench", "phone",   "kiosk", "badge-reader"};
constexpr const char* kListWords[] = {"CUSTOMER", "LOOPBACKS", "BOGONS",  "MGMT",    "PARTNER",
                                      "DC",       "CAMPUS",    "ANYCAST", "TRANSIT", "STATICS"};

struct Vlan {
    int id;
    std::string name;
    uint32_t gateway;  // the routed interface's address, a /24
};
struct Port {
    int number;  // 0-based position on the box
    bool uplink;
    int vlan;  // access ports: an index into Plan::vlans
    std::string description;
    uint32_t address = 0;  // uplinks: our end of a /31
};
struct Neighbour {
    std::string address;
    long as;
    std::string description;
    bool external;
};
struct PrefixList {
    std::string name;
    std::vector<std::string> prefixes;  // "10.1.2.0/24"
};

// Per-platform line cost of one item, to split the budget between sections.
struct Costs {
    int port_access, port_uplink, vlan, neighbour;
    bool routed_ports;  // frr: every port is a routed point-to-point link
};

struct Plan {
    std::string hostname;
    std::string loopback;
    long as;
    std::vector<Vlan> vlans;
    std::vector<Port> ports;
    std::vector<Neighbour> neighbours;
};

// Sizes the sections of `rest` lines: ports 35 %, VLANs 15 %, BGP 20 %; the
// prefix lists that the platform writes last take whatever is left.
Plan make_plan(NameRandom& r, const std::string& hostname, int index, int rest, const Costs& c) {
    Plan p;
    p.hostname = hostname;
    p.loopback = "10.255." + str((index / 250) % 250) + "." + str(index % 250 + 1);
    p.as = 65000 + index % 500;
    const int vlan_count = std::clamp(rest * 15 / 100 / c.vlan, 2, 3000);
    const int first_vlan = 100 + r.below(900);
    const uint32_t site = static_cast<uint32_t>(r.below(16));
    for (int i = 0; i < vlan_count; ++i) {
        int id = first_vlan + i;
        uint32_t net = (site * 4096 + static_cast<uint32_t>(id)) % 65536;
        p.vlans.push_back({id, std::string(r.pick(kVlanNames)) + "-" + str(id), 0x0A000000u + net * 256 + 1});
    }
    const uint32_t p2p_base = 0xAC100000u + static_cast<uint32_t>(r.below(4096)) * 256;
    int port_lines = 0, uplinks = 0;
    for (int i = 0; port_lines < rest * 35 / 100 || p.ports.size() < 2; ++i) {
        bool uplink = c.routed_ports || i % 12 == 11 || i == 0;
        Port port{i, uplink, r.below(vlan_count), "", 0};
        if (uplink) {
            port.address = p2p_base + static_cast<uint32_t>(uplinks) * 2;
            port.description = "uplink-spine" + str(uplinks + 1);
            p.neighbours.push_back({ipv4(port.address + 1), 65100 + uplinks % 4, port.description, true});
            ++uplinks;
        } else {
            port.description = std::string(r.pick(kAccessDescriptions)) + "-" + str(1 + r.below(40)) + "-" + str(i);
        }
        port_lines += uplink ? c.port_uplink : c.port_access;
        p.ports.push_back(std::move(port));
    }
    // Route reflectors and other iBGP peers, by loopback, fill BGP's share:
    // 10.255.250-254.x, then 10.254.250-254.x, ... (5 x 250 per /16, each once).
    for (int k = 0; static_cast<int>(p.neighbours.size()) * c.neighbour < rest * 20 / 100 || k < 2; ++k)
        p.neighbours.push_back({"10." + str(255 - k / 1250) + "." + str(250 + k / 250 % 5) + "." + str(k % 250 + 1),
                                p.as, (k < 2 ? "rr" : "ibgp-peer") + str(k + 1), false});
    return p;
}

// Prefix lists of 1..24 entries (the first two, PL-IMPORT and PL-EXPORT, are
// the ones the BGP policies use) taking `lines` lines, `overhead` of them per list.
std::vector<PrefixList> make_prefix_lists(NameRandom& r, int lines, int overhead) {
    std::vector<PrefixList> lists;
    int used = 0;
    for (int i = 0; i < 2 || used < lines; ++i) {
        PrefixList l;
        l.name = i == 0 ? "PL-IMPORT" : i == 1 ? "PL-EXPORT" : std::string("PL-") + r.pick(kListWords) + "-" + str(i);
        int entries = std::max(1, std::min(1 + r.below(24), lines - used - overhead));
        // A prefix appears once per list: vtysh and EOS refuse a duplicate entry.
        std::set<std::string> seen;
        while (static_cast<int>(l.prefixes.size()) < entries) {
            std::string prefix;
            switch (r.below(3)) {
                case 0: prefix = "10." + str(r.below(256)) + "." + str(r.below(256)) + ".0/24"; break;
                case 1: prefix = "172." + str(16 + r.below(16)) + ".0.0/16"; break;
                default: prefix = "192.168." + str(r.below(256)) + ".0/24"; break;
            }
            if (seen.insert(prefix).second) l.prefixes.push_back(std::move(prefix));
        }
        used += overhead + entries;
        lists.push_back(std::move(l));
    }
    return lists;
}

// ---- FRR: vtysh `show running-config` (FRR user guide, "Basic commands") ----

std::string frr_config(NameRandom& r, const std::string& hostname, int index, int lines) {
    // show adds "Building configuration...", "", "Current configuration:", "!",
    // "frr version", "frr defaults" and ends with "!", "end".
    const int body = lines - 8;
    Lines head, ports, bgp, lists, tail;
    Plan p = make_plan(r, hostname, index, body - 30, {0, 5, 6, 4, true});
    head.add("hostname " + hostname);
    head.add("log syslog informational");
    head.add("service integrated-vtysh-config");
    for (const auto& port : p.ports) {
        ports.add("!");
        ports.add("interface swp" + str(port.number + 1));
        ports.add(" description " + port.description);
        ports.add(" ip address " + ipv4(port.address) + "/31");
        ports.add("exit");
    }
    for (const auto& v : p.vlans) {
        ports.add("!");
        ports.add("interface vlan" + str(v.id));
        ports.add(" description " + v.name);
        ports.add(" ip address " + ipv4(v.gateway) + "/24");
        ports.add("exit");
    }
    ports.add("!");
    ports.add("interface lo");
    ports.add(" ip address " + p.loopback + "/32");
    ports.add("exit");
    bgp.add("!");
    bgp.add("router bgp " + str(p.as));
    bgp.add(" bgp router-id " + p.loopback);
    bgp.add(" no bgp ebgp-requires-policy");
    bgp.add(" bgp bestpath as-path multipath-relax");
    for (const auto& n : p.neighbours) {
        bgp.add(" neighbor " + n.address + " remote-as " + str(n.as));
        bgp.add(" neighbor " + n.address + " description " + n.description);
        if (!n.external) bgp.add(" neighbor " + n.address + " update-source lo");
    }
    bgp.add(" !");
    bgp.add(" address-family ipv4 unicast");
    bgp.add("  network " + p.loopback + "/32");
    for (const auto& v : p.vlans) bgp.add("  network " + ipv4(v.gateway - 1) + "/24");
    for (const auto& n : p.neighbours) {
        if (!n.external) continue;
        bgp.add("  neighbor " + n.address + " route-map RM-IMPORT in");
        bgp.add("  neighbor " + n.address + " route-map RM-EXPORT out");
    }
    bgp.add("  maximum-paths 8");
    bgp.add(" exit-address-family");
    bgp.add("exit");
    for (const char* dir : {"IMPORT", "EXPORT"}) {
        tail.add("!");
        tail.add(std::string("route-map RM-") + dir + " permit 10");
        tail.add(std::string(" match ip address prefix-list PL-") + dir);
        if (std::string_view(dir) == "IMPORT") tail.add(" set local-preference 200");
        tail.add("exit");
        tail.add("!");
        tail.add(std::string("route-map RM-") + dir + " deny 100");
        tail.add("exit");
    }
    tail.add("!");
    tail.add("line vty");
    tail.add("exit");
    // One "!" sets off the prefix-list lines; each entry is one line.
    const int room = body - head.count() - ports.count() - bgp.count() - tail.count() - 1;
    lists.add("!");
    for (const auto& l : make_prefix_lists(r, room, 0)) {
        int seq = 5;
        for (const auto& prefix : l.prefixes) {
            lists.add("ip prefix-list " + l.name + " seq " + str(seq) + " permit " + prefix +
                      (prefix.ends_with("/16") ? " le 24" : ""));
            seq += 5;
        }
    }
    head.add(ports);
    head.add(bgp);
    head.add(lists);
    head.add(tail);
    return head.take();
}

// ---- Arista EOS: `show running-config` (EOS User Manual) -------------------

std::string eos_port_name(int number, size_t ports) {
    // Fixed switches number ports Ethernet1..; chassis ones Ethernet<card>/<port>.
    if (ports <= 64) return "Ethernet" + str(number + 1);
    return "Ethernet" + str(3 + number / 48) + "/" + str(number % 48 + 1);
}

std::string eos_config(NameRandom& r, const std::string& hostname, int index, int lines) {
    // show adds "! Command:", "! device:", "!", "! boot system", "!" and ends with "!", "end".
    const int body = lines - 7;
    Lines out, lists, rest;
    Plan p = make_plan(r, hostname, index, body - 40, {5, 6, 8, 7, false});
    out.add("no aaa root");
    out.add("!");
    out.add("hostname " + hostname);
    out.add("!");
    out.add("spanning-tree mode mstp");
    for (const auto& v : p.vlans) {
        out.add("!");
        out.add("vlan " + str(v.id));
        out.add("   name " + v.name);
    }
    for (const auto& port : p.ports) {
        out.add("!");
        out.add("interface " + eos_port_name(port.number, p.ports.size()));
        out.add("   description " + port.description);
        if (port.uplink) {
            out.add("   mtu 9214");
            out.add("   no switchport");
            out.add("   ip address " + ipv4(port.address) + "/31");
        } else {
            out.add("   switchport access vlan " + str(p.vlans[static_cast<size_t>(port.vlan)].id));
            out.add("   spanning-tree portfast");
        }
    }
    out.add("!");
    out.add("interface Loopback0");
    out.add("   ip address " + p.loopback + "/32");
    for (const auto& v : p.vlans) {
        out.add("!");
        out.add("interface Vlan" + str(v.id));
        out.add("   description " + v.name);
        out.add("   ip address " + ipv4(v.gateway) + "/24");
    }
    out.add("!");
    out.add("ip routing");
    for (const char* dir : {"IMPORT", "EXPORT"}) {
        rest.add("!");
        rest.add(std::string("route-map RM-") + dir + " permit 10");
        rest.add(std::string("   match ip address prefix-list PL-") + dir);
        if (std::string_view(dir) == "IMPORT") rest.add("   set local-preference 200");
    }
    rest.add("!");
    rest.add("router bgp " + str(p.as));
    rest.add("   router-id " + p.loopback);
    rest.add("   maximum-paths 8 ecmp 8");
    for (const auto& n : p.neighbours) {
        rest.add("   neighbor " + n.address + " remote-as " + str(n.as));
        rest.add("   neighbor " + n.address + " description " + n.description);
        if (n.external) {
            rest.add("   neighbor " + n.address + " route-map RM-IMPORT in");
            rest.add("   neighbor " + n.address + " route-map RM-EXPORT out");
        } else {
            rest.add("   neighbor " + n.address + " update-source Loopback0");
        }
        rest.add("   neighbor " + n.address + " maximum-routes 12000");
    }
    rest.add("   network " + p.loopback + "/32");
    for (const auto& v : p.vlans) rest.add("   network " + ipv4(v.gateway - 1) + "/24");
    rest.add("   !");
    rest.add("   address-family ipv4");
    for (const auto& n : p.neighbours) rest.add("      neighbor " + n.address + " activate");
    rest.add("!");
    rest.add("management api http-commands");
    rest.add("   no shutdown");
    // Each list: "!", "ip prefix-list NAME", then "   seq N permit P" lines.
    const int room = body - out.count() - rest.count();
    for (const auto& l : make_prefix_lists(r, room, 2)) {
        lists.add("!");
        lists.add("ip prefix-list " + l.name);
        int seq = 10;
        for (const auto& prefix : l.prefixes) {
            lists.add("   seq " + str(seq) + " permit " + prefix + (prefix.ends_with("/16") ? " le 24" : ""));
            seq += 10;
        }
    }
    out.add(lists);
    out.add(rest);
    return out.take();
}

// ---- JunOS: `show configuration` (curly-brace hierarchy, 4 spaces) ---------

std::string junos_port_name(const Port& port) {
    // EX virtual chassis: 48 ports per member (FPC); uplinks on 10G ports.
    return std::string(port.uplink ? "xe-" : "ge-") + str(port.number / 48) + "/0/" + str(port.number % 48);
}

std::string junos_config(NameRandom& r, const std::string& hostname, int index, int lines) {
    // show adds "## Last commit: ..." and "version ...;".
    const int body = lines - 2;
    Lines out, policies, tail;
    Plan p = make_plan(r, hostname, index, body - 60, {12, 11, 10, 4, false});
    out.add("system {");
    out.add("    host-name " + hostname + ";");
    out.add("    services {");
    out.add("        ssh;");
    out.add("        netconf {");
    out.add("            ssh;");
    out.add("        }");
    out.add("    }");
    out.add("    syslog {");
    out.add("        file messages {");
    out.add("            any notice;");
    out.add("        }");
    out.add("    }");
    out.add("}");
    out.add("interfaces {");
    for (const auto& port : p.ports) {
        out.add("    " + junos_port_name(port) + " {");
        out.add("        description " + port.description + ";");
        if (port.uplink) out.add("        mtu 9216;");
        out.add("        unit 0 {");
        if (port.uplink) {
            out.add("            family inet {");
            out.add("                address " + ipv4(port.address) + "/31;");
            out.add("            }");
        } else {
            out.add("            family ethernet-switching {");
            out.add("                interface-mode access;");
            out.add("                vlan {");
            out.add("                    members " + p.vlans[static_cast<size_t>(port.vlan)].name + ";");
            out.add("                }");
            out.add("            }");
        }
        out.add("        }");
        out.add("    }");
    }
    out.add("    irb {");
    for (const auto& v : p.vlans) {
        out.add("        unit " + str(v.id) + " {");
        out.add("            family inet {");
        out.add("                address " + ipv4(v.gateway) + "/24;");
        out.add("            }");
        out.add("        }");
    }
    out.add("    }");
    out.add("    lo0 {");
    out.add("        unit 0 {");
    out.add("            family inet {");
    out.add("                address " + p.loopback + "/32;");
    out.add("            }");
    out.add("        }");
    out.add("    }");
    out.add("}");
    out.add("routing-options {");
    out.add("    router-id " + p.loopback + ";");
    out.add("    autonomous-system " + str(p.as) + ";");
    out.add("}");
    out.add("protocols {");
    out.add("    bgp {");
    for (bool external : {true, false}) {
        out.add(std::string("        group ") + (external ? "UPLINKS" : "IBGP") + " {");
        out.add(std::string("            type ") + (external ? "external;" : "internal;"));
        if (external) {
            out.add("            import IMPORT;");
            out.add("            export EXPORT;");
            out.add("            multipath multiple-as;");
        } else {
            out.add("            local-address " + p.loopback + ";");
        }
        for (const auto& n : p.neighbours) {
            if (n.external != external) continue;
            out.add("            neighbor " + n.address + " {");
            out.add("                description " + n.description + ";");
            if (external) out.add("                peer-as " + str(n.as) + ";");
            out.add("            }");
        }
        out.add("        }");
    }
    out.add("    }");
    out.add("    lldp {");
    out.add("        interface all;");
    out.add("    }");
    out.add("}");
    for (const char* dir : {"IMPORT", "EXPORT"}) {
        policies.add(std::string("    policy-statement ") + dir + " {");
        policies.add("        term listed {");
        policies.add("            from {");
        policies.add(std::string("                prefix-list PL-") + dir + ";");
        policies.add("            }");
        policies.add("            then accept;");
        policies.add("        }");
        policies.add("        then reject;");
        policies.add("    }");
    }
    tail.add("vlans {");
    for (const auto& v : p.vlans) {
        tail.add("    " + v.name + " {");
        tail.add("        vlan-id " + str(v.id) + ";");
        tail.add("        l3-interface irb." + str(v.id) + ";");
        tail.add("    }");
    }
    tail.add("}");
    // "policy-options {", its lists ("prefix-list NAME {", prefixes, "}"), the policies, "}".
    const int room = body - out.count() - policies.count() - tail.count() - 2;
    out.add("policy-options {");
    for (const auto& l : make_prefix_lists(r, room, 2)) {
        out.add("    prefix-list " + l.name + " {");
        for (const auto& prefix : l.prefixes) out.add("        " + prefix + ";");
        out.add("    }");
    }
    out.add(policies);
    out.add("}");
    out.add(tail);
    return out.take();
}

}  // namespace

std::string sized_config(Platform p, const std::string& hostname, int index, int lines) {
    if (lines < kMinConfigLines || lines > kMaxConfigLines)
        throw std::invalid_argument("config_lines must be " + std::to_string(kMinConfigLines) + ".." +
                                    std::to_string(kMaxConfigLines) + ", got " + std::to_string(lines));
    NameRandom r(hostname);
    switch (p) {
        case Platform::frr: return frr_config(r, hostname, index, lines);
        case Platform::eos: return eos_config(r, hostname, index, lines);
        case Platform::junos: return junos_config(r, hostname, index, lines);
    }
    return {};
}

}  // namespace sim
