// Indentation-structured configuration (frr vtysh and Arista EOS style): a
// line opens a block when the following lines are indented deeper.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim {

struct CfgNode {
    std::string text;  // without indentation
    std::vector<CfgNode> kids;
    // EOS heredoc commands (`banner login` ...): the text lines typed after the
    // command, verbatim, up to and including their `EOF` terminators.
    std::vector<std::string> heredoc;
    bool operator==(const CfgNode&) const = default;
};
using CfgTree = std::vector<CfgNode>;

// Builds the tree from indentation. Lines for which skip() is true (comments,
// "exit", "end", banners...) are dropped; they are re-created when rendering.
// heredoc_blocks(trimmed) > 0 marks a command whose following lines are
// text up to that many `EOF` lines (kept verbatim in CfgNode::heredoc).
CfgTree parse_indented(std::string_view text, bool (*skip)(std::string_view trimmed),
                       int (*heredoc_blocks)(std::string_view trimmed) = nullptr);

// Plain form: one line per node, `unit` spaces per level, nothing else. This
// is how the simulator stores configs.
std::string render_plain(const CfgTree& tree, int unit);

// Children list at the path of block headers, or nullptr if a header is absent.
CfgTree* find_block(CfgTree& tree, const std::vector<std::string>& path);

std::string trim(std::string_view s);
std::string rtrim(std::string_view s);
bool starts_with_word(std::string_view line, std::string_view words);
std::vector<std::string> split_lines(std::string_view text);
// Rest of the first unindented line starting with keyword ("hostname r1" -> "r1"), or fallback.
std::string top_level_value(const std::string& config, std::string_view keyword, const std::string& fallback);

}  // namespace sim
