#include "devices/eos_delta.h"

#include <algorithm>
#include <vector>

#include "devices/normalize.h"

namespace switchyard::devices {
namespace {

struct Node {
    std::string text;  // trimmed
    std::vector<Node> children;
};

struct Line {
    std::size_t indent;
    std::string text;
};

// Deeper than any EOS config nests (router bgp > vrf > address-family):
// a device's text that claims more is not read as a tree (the recursion
// below would follow it as deep as the text goes).
constexpr std::size_t kMaxDepth = 16;

std::optional<std::vector<Line>> config_lines(std::string_view config) {
    std::vector<Line> lines;
    std::vector<std::size_t> open;  // the indents of the contexts a line is in
    std::size_t start = 0;
    while (start < config.size()) {
        auto nl = config.find('\n', start);
        if (nl == std::string_view::npos) nl = config.size();
        std::string_view raw = config.substr(start, nl - start);
        start = nl + 1;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (raw.find('\t') != std::string_view::npos) return std::nullopt;
        std::string t = trim_blanks(std::string(raw));
        if (t.empty() || t == "end") continue;
        if (t[0] == '!') {
            if (t.rfind("!!", 0) == 0) return std::nullopt;  // a mode comment is config
            continue;
        }
        if (eos_heredoc_blocks(t) > 0) return std::nullopt;
        const std::size_t indent = raw.find_first_not_of(' ');
        while (!open.empty() && open.back() >= indent) open.pop_back();
        open.push_back(indent);
        if (open.size() > kMaxDepth) return std::nullopt;
        lines.push_back({indent, std::move(t)});
    }
    return lines;
}

// Adds `n` to `level`; a context entered again (a second `interface
// Ethernet1` block) is the same context, as the CLI sees it.
void merge(std::vector<Node>& level, Node n) {
    auto it = std::find_if(level.begin(), level.end(), [&](const Node& m) { return m.text == n.text; });
    if (it == level.end()) {
        level.push_back(std::move(n));
        return;
    }
    for (auto& c : n.children) merge(it->children, std::move(c));
}

// The lines after `i` indented deeper than `parent_indent`, as a tree.
std::vector<Node> children(const std::vector<Line>& lines, std::size_t& i, std::size_t parent_indent, bool top) {
    std::vector<Node> out;
    while (i < lines.size() && (top || lines[i].indent > parent_indent)) {
        const std::size_t indent = lines[i].indent;
        Node n{lines[i].text, {}};
        ++i;
        n.children = children(lines, i, indent, false);
        merge(out, std::move(n));
    }
    return out;
}

const Node* find(const std::vector<Node>& level, const std::string& text) {
    auto it = std::find_if(level.begin(), level.end(), [&](const Node& n) { return n.text == text; });
    return it == level.end() ? nullptr : &*it;
}

class Delta {
public:
    std::string text;

    void context(const std::vector<Node>& running, const std::vector<Node>& intended) {
        for (const auto& r : running)
            if (!find(intended, r.text)) line(r.text.rfind("no ", 0) == 0 ? r.text.substr(3) : "no " + r.text);
        // New lines before new blocks: a line typed after a block would be
        // read inside it first.
        for (const auto& w : intended)
            if (w.children.empty() && !find(running, w.text)) line(w.text);
        for (const auto& w : intended)
            if (!w.children.empty() && !find(running, w.text)) block(w);
        for (const auto& w : intended) {
            const Node* r = find(running, w.text);
            if (!r || (r->children.empty() && w.children.empty())) continue;
            path_.push_back(w.text);
            context(r->children, w.children);
            path_.pop_back();
            entered_ = std::min(entered_, path_.size());
        }
    }

private:
    // Types the headers of the current context not typed since it was last
    // left, then `t` inside it.
    void line(const std::string& t) {
        for (std::size_t d = entered_; d < path_.size(); ++d) indented(d, path_[d]);
        entered_ = path_.size();
        indented(path_.size(), t);
    }
    void block(const Node& n) {
        line(n.text);
        path_.push_back(n.text);
        entered_ = path_.size();
        for (const auto& c : n.children)
            if (c.children.empty()) line(c.text);
        for (const auto& c : n.children)
            if (!c.children.empty()) block(c);
        path_.pop_back();
        entered_ = std::min(entered_, path_.size());
    }
    void indented(std::size_t depth, const std::string& t) { text.append(3 * depth, ' ').append(t).push_back('\n'); }

    std::vector<std::string> path_;  // the context being compared
    std::size_t entered_ = 0;        // how much of path_ the typed text is in
};

}  // namespace

int eos_heredoc_blocks(std::string_view trimmed) {
    if (trimmed == "banner login" || trimmed == "banner motd" || trimmed == "comment") return 1;
    if (trimmed == "protocol https certificate") return 2;
    return 0;
}

std::optional<std::string> eos_config_delta(std::string_view running, std::string_view intended) {
    auto r = config_lines(running);
    auto w = config_lines(intended);
    if (!r || !w) return std::nullopt;
    std::size_t i = 0, j = 0;
    const auto running_tree = children(*r, i, 0, true);
    const auto intended_tree = children(*w, j, 0, true);
    Delta delta;
    delta.context(running_tree, intended_tree);
    return delta.text;
}

}  // namespace switchyard::devices
