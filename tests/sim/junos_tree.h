// JunOS curly-brace configuration: parse, render, merge and the hierarchical
// `show | compare` diff.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim {

struct JNode {
    std::string text;  // statement without the trailing ';' or ' {'
    bool block = false;
    std::vector<JNode> kids;
    bool operator==(const JNode&) const = default;
};
using JTree = std::vector<JNode>;

struct JParseResult {
    JTree tree;
    bool ok = true;
    int error_line = 0;  // 1-based line of the first error
    std::string error;
};

// Comments (`#`, `/* */`), `## Last commit` banners and the `version` leaf are
// dropped: the device owns those.
JParseResult parse_junos(std::string_view text);
std::string render_junos(const JTree& tree);
// Merge (load merge): blocks merge recursively, new statements are added.
void merge_junos(JTree& into, const JTree& from);
// `show | compare` output: "[edit a b]" headers with +/- statements; "" if equal.
std::string compare_junos(const JTree& active, const JTree& candidate);

}  // namespace sim
