#include "config_tree.h"

#include <algorithm>
#include <iterator>

namespace sim {

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string rtrim(std::string_view s) {
    auto e = s.find_last_not_of(" \t\r\n");
    return e == std::string_view::npos ? std::string() : std::string(s.substr(0, e + 1));
}

bool starts_with_word(std::string_view line, std::string_view words) {
    if (line.substr(0, words.size()) != words) return false;
    return line.size() == words.size() || line[words.size()] == ' ';
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string line(text.substr(pos, nl - pos));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(std::move(line));
        pos = nl + 1;
    }
    return out;
}

// Every prompt asks for the hostname: the lines are looked at in place, not
// copied (a 2,000-line config typed line by line would otherwise be split
// 2,000 times, and the simulator's CPU would slow the client it serves).
std::string top_level_value(const std::string& config, std::string_view keyword, const std::string& fallback) {
    std::string_view text = config;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (starts_with_word(line, keyword)) return trim(line.substr(keyword.size()));
        pos = nl + 1;
    }
    return fallback;
}

namespace {

struct Line {
    size_t indent;
    std::string text;
    std::vector<std::string> heredoc;
};

// Consumes lines[i..] that are indented deeper than parent_indent, moving
// their texts into the tree (every show of a running config parses it: the
// simulator's CPU is taken from the client it serves on the same machine).
CfgTree parse_block(std::vector<Line>& lines, size_t& i, long parent_indent) {
    CfgTree out;
    while (i < lines.size() && static_cast<long>(lines[i].indent) > parent_indent) {
        CfgNode node{std::move(lines[i].text), {}, std::move(lines[i].heredoc)};
        size_t my_indent = lines[i].indent;
        ++i;
        node.kids = parse_block(lines, i, static_cast<long>(my_indent));
        out.push_back(std::move(node));
    }
    return out;
}

void render(const CfgTree& tree, int unit, int depth, std::string& out) {
    for (const auto& n : tree) {
        out.append(static_cast<size_t>(unit * depth), ' ');
        out += n.text;
        out += '\n';
        for (const auto& h : n.heredoc) out += h + "\n";
        render(n.kids, unit, depth + 1, out);
    }
}

}  // namespace

CfgTree parse_indented(std::string_view text, bool (*skip)(std::string_view trimmed),
                       int (*heredoc_blocks)(std::string_view trimmed)) {
    std::vector<Line> lines;
    auto raws = split_lines(text);
    lines.reserve(raws.size());
    for (size_t r = 0; r < raws.size(); ++r) {
        const auto& raw = raws[r];
        std::string t = trim(raw);
        if (t.empty() || (skip && skip(t))) continue;
        size_t indent = raw.find_first_not_of(" \t");
        int blocks = heredoc_blocks ? heredoc_blocks(t) : 0;
        lines.push_back({indent, std::move(t), {}});
        while (blocks > 0 && r + 1 < raws.size()) {
            lines.back().heredoc.push_back(raws[++r]);
            if (raws[r] == "EOF") --blocks;
        }
    }
    size_t i = 0;
    CfgTree out;
    // A stray less-indented line after deeper ones still starts a new top item.
    while (i < lines.size()) {
        auto part = parse_block(lines, i, -1);
        if (out.empty()) out = std::move(part);
        else out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return out;
}

std::string render_plain(const CfgTree& tree, int unit) {
    std::string out;
    render(tree, unit, 0, out);
    return out;
}

CfgTree* find_block(CfgTree& tree, const std::vector<std::string>& path) {
    CfgTree* cur = &tree;
    for (const auto& header : path) {
        CfgTree* next = nullptr;
        for (auto& n : *cur)
            if (n.text == header) {
                next = &n.kids;
                break;
            }
        if (!next) return nullptr;
        cur = next;
    }
    return cur;
}

}  // namespace sim
