// How frr vtysh and EOS place a configuration-mode line: which lines open a
// context (interface, router bgp, address-family ...), which always act at the
// top level, which replace an earlier value, and how `no` removes lines.
// Both CLIs fall back to the parent mode when a command does not belong to
// the current one; we approximate that with keyword tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config_tree.h"

namespace sim {

struct ContextRules {
    int indent_unit;  // 1 for frr, 3 for eos
    bool (*opens_top_context)(std::string_view line);
    bool (*opens_sub_context)(const std::vector<std::string>& ctx, std::string_view line);
    bool (*is_global)(std::string_view line);
    // Prefix whose earlier value the line replaces ("hostname "), or "" if none.
    std::string (*replaces)(std::string_view line);
    // A `no X` line that is itself stored in running-config ("no ipv6 forwarding").
    bool (*stored_negation)(std::string_view line);
};

const ContextRules& frr_rules();
const ContextRules& eos_rules();

// Applies one configuration line (indentation significant, as when a config
// is pasted) to tree; ctx is the path of context headers and is updated to
// where the CLI is left. Returns false only when the line could not be placed.
bool apply_config_line(CfgTree& tree, std::vector<std::string>& ctx, std::string_view raw, const ContextRules& rules);

}  // namespace sim
