#include "cli_contexts.h"

#include <algorithm>
#include <initializer_list>

namespace sim {

namespace {

bool any_prefix(std::string_view line, std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return starts_with_word(line, w); });
}

// The first of `keys` the line starts with, and a space: the prefix whose
// earlier value the line replaces ("" when none).
std::string replaced_prefix(std::string_view line, std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys)
        if (starts_with_word(line, key)) return std::string(key) + " ";
    return {};
}

// A `no` line that running-config keeps: one starting with any of `kept`,
// except that of the `no neighbor` lines only `no neighbor X activate` is
// kept (the others only remove), on both CLIs.
bool kept_negation(std::string_view line, std::initializer_list<std::string_view> kept) {
    return any_prefix(line, kept) && (!starts_with_word(line, "no neighbor") || line.ends_with(" activate"));
}

size_t word_count(std::string_view line) {
    size_t n = 0;
    bool in = false;
    for (char c : line) {
        if (c == ' ') in = false;
        else if (!in) {
            in = true;
            ++n;
        }
    }
    return n;
}

// ---- frr ------------------------------------------------------------------

bool frr_top(std::string_view l) {
    return any_prefix(l, {"interface", "router", "route-map", "line vty", "vrf", "key chain", "segment-routing", "bfd",
                          "nexthop-group", "pbr-map", "mpls ldp"});
}
bool frr_sub(const std::vector<std::string>& ctx, std::string_view l) {
    return ctx.size() == 1 && starts_with_word(ctx[0], "router bgp") && starts_with_word(l, "address-family");
}
bool frr_global(std::string_view l) {
    if (starts_with_word(l, "no")) l.remove_prefix(3);
    return any_prefix(l, {"hostname",
                          "log",
                          "service",
                          "password",
                          "enable password",
                          "ip route",
                          "ipv6 route",
                          "ip prefix-list",
                          "ipv6 prefix-list",
                          "bgp community-list",
                          "bgp extcommunity-list",
                          "bgp large-community-list",
                          "bgp as-path",
                          "ip protocol",
                          "ipv6 protocol",
                          "ip forwarding",
                          "ipv6 forwarding",
                          "frr defaults",
                          "agentx",
                          "ip nht",
                          "ipv6 nht",
                          "debug",
                          "ip import-table",
                          "fpm",
                          "allow-external-route-update",
                          "access-list",
                          "ipv6 access-list",
                          "end"});
}
std::string frr_replaces(std::string_view l) {
    return replaced_prefix(l, {"hostname", "log syslog", "description", "bgp router-id", "router-id", "ospf router-id",
                               "password", "enable password", "frr defaults"});
}
bool frr_stored_negation(std::string_view l) {
    return kept_negation(
        l, {"no ipv6 forwarding", "no ip forwarding", "no bgp", "no service", "no ip nht", "no ipv6 nht", "no log",
            "no zebra", "no neighbor", "no auto-summary", "no link-detect", "no multicast"});
}

// ---- eos ------------------------------------------------------------------

bool eos_top(std::string_view l) {
    if (any_prefix(l, {"ip prefix-list", "ipv6 prefix-list"})) return word_count(l) == 3;
    return any_prefix(l, {"interface",
                          "router",
                          "route-map",
                          "vlan",
                          "management",
                          "ip access-list",
                          "ipv6 access-list",
                          "mac access-list",
                          "policy-map",
                          "class-map",
                          "monitor",
                          "daemon",
                          "event-handler",
                          "spanning-tree mst configuration",
                          "mlag configuration",
                          "peer-filter",
                          "control-plane",
                          "vrf instance",
                          "queue-monitor",
                          "hardware",
                          "ip extcommunity-list"});
}
bool eos_sub(const std::vector<std::string>& ctx, std::string_view l) {
    return ctx.size() == 1 && starts_with_word(ctx[0], "router bgp") &&
           (starts_with_word(l, "address-family") || starts_with_word(l, "vrf"));
}
bool eos_global(std::string_view l) {
    if (starts_with_word(l, "no")) l.remove_prefix(3);
    return any_prefix(l, {"hostname",
                          "username",
                          "service",
                          "spanning-tree mode",
                          "ntp",
                          "logging",
                          "snmp-server",
                          "aaa",
                          "banner",
                          "clock",
                          "dns",
                          "transceiver",
                          "ip route",
                          "ip routing",
                          "ipv6 route",
                          "ipv6 unicast-routing",
                          "ip name-server",
                          "ip domain-name",
                          "ip domain lookup",
                          "ip virtual-router",
                          "ip community-list",
                          "ip as-path",
                          "ip prefix-list",
                          "ipv6 prefix-list",
                          "agent",
                          "enable",
                          "end",
                          "switchport default",
                          "boot",
                          "terminal"});
}
std::string eos_replaces(std::string_view l) {
    return replaced_prefix(l, {"hostname", "description", "router-id", "ip address", "mtu", "spanning-tree mode",
                               "ip domain-name", "mac-address", "speed"});
}
bool eos_stored_negation(std::string_view l) {
    return kept_negation(
        l, {"no aaa root", "no switchport", "no ip routing", "no ipv6 routing", "no logging", "no spanning-tree",
            "no shutdown", "no lldp", "no autostate", "no neighbor", "no bgp default"});
}

// Removes lines equal to target, or (for `no neighbor 1.2.3.4`) every line
// that starts with it, as both CLIs do for a partial negation.
bool remove_matching(CfgTree& level, const std::string& target) {
    auto before = level.size();
    auto exact = std::find_if(level.begin(), level.end(), [&](const CfgNode& n) { return n.text == target; });
    if (exact != level.end()) {
        level.erase(exact);
        return true;
    }
    std::erase_if(level, [&](const CfgNode& n) { return starts_with_word(n.text, target); });
    return level.size() != before;
}

}  // namespace

const ContextRules& frr_rules() {
    static const ContextRules r{1, frr_top, frr_sub, frr_global, frr_replaces, frr_stored_negation};
    return r;
}

const ContextRules& eos_rules() {
    static const ContextRules r{3, eos_top, eos_sub, eos_global, eos_replaces, eos_stored_negation};
    return r;
}

bool apply_config_line(CfgTree& tree, std::vector<std::string>& ctx, std::string_view raw, const ContextRules& rules) {
    size_t indent = raw.find_first_not_of(" \t");
    if (indent == std::string_view::npos) return true;
    std::string line = trim(raw);
    if (indent > 0) {
        // Pasted config: indentation says exactly which context the line is in.
        size_t level = (indent + static_cast<size_t>(rules.indent_unit) - 1) / static_cast<size_t>(rules.indent_unit);
        if (level < ctx.size()) ctx.resize(level);
    } else if (rules.opens_top_context(line) || rules.is_global(line) ||
               (starts_with_word(line, "no") && rules.opens_top_context(line.substr(3)))) {
        ctx.clear();
    } else if (ctx.size() >= 2) {
        std::vector<std::string> parent(ctx.begin(), ctx.end() - 1);
        if (rules.opens_sub_context(parent, line)) ctx.pop_back();
    }
    CfgTree* level = find_block(tree, ctx);
    if (!level) {
        ctx.clear();
        level = &tree;
    }

    if (starts_with_word(line, "no")) {
        std::string target = line.substr(3);
        if (remove_matching(*level, target)) return true;
        // Not configured: store it only if the CLI shows such negations.
        if (rules.stored_negation(line) &&
            std::none_of(level->begin(), level->end(), [&](const CfgNode& n) { return n.text == line; }))
            level->push_back({line, {}, {}});
        return true;
    }

    bool opens = (ctx.empty() && rules.opens_top_context(line)) || rules.opens_sub_context(ctx, line);
    // A positive line cancels its stored negation ("switchport" vs "no switchport").
    if (!opens && remove_matching(*level, "no " + line)) return true;
    auto it = std::find_if(level->begin(), level->end(), [&](const CfgNode& n) { return n.text == line; });
    if (std::string key = rules.replaces(line); !key.empty() && !opens && it == level->end()) {
        // A new value takes the old one's place, as in the device's own ordering.
        it = std::find_if(level->begin(), level->end(), [&](const CfgNode& n) { return n.text.rfind(key, 0) == 0; });
        if (it != level->end()) it->text = line;
    }
    if (it == level->end()) level->push_back({line, {}, {}});
    if (opens) ctx.push_back(line);
    return true;
}

}  // namespace sim
