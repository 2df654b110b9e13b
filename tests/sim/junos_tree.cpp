#include "junos_tree.h"

#include <algorithm>

namespace sim {

namespace {

std::string collapse_ws(std::string_view s) {
    std::string out;
    bool space = false;
    bool quoted = false;
    for (char c : s) {
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

void render(const JTree& tree, int depth, std::string& out, std::string_view mark) {
    for (const auto& n : tree) {
        std::string pad(static_cast<size_t>(4 * depth), ' ');
        if (!mark.empty() && !pad.empty()) pad.replace(0, mark.size(), mark);
        out += pad + n.text + (n.block ? " {\n" : ";\n");
        if (n.block) {
            render(n.kids, depth + 1, out, mark);
            std::string close(static_cast<size_t>(4 * depth), ' ');
            if (!mark.empty() && !close.empty()) close.replace(0, mark.size(), mark);
            out += close + "}\n";
        }
    }
}

bool same_key(const JNode& a, const JNode& b) { return a.block == b.block && a.text == b.text; }

void compare(const JTree& a, const JTree& b, const std::string& path, std::string& out) {
    std::string removed, added;
    for (const auto& n : a)
        if (std::none_of(b.begin(), b.end(), [&](const JNode& m) { return same_key(n, m); }))
            render({n}, 1, removed, "-");
    for (const auto& n : b)
        if (std::none_of(a.begin(), a.end(), [&](const JNode& m) { return same_key(n, m); }))
            render({n}, 1, added, "+");
    if (!removed.empty() || !added.empty()) out += "[edit" + path + "]\n" + removed + added;
    for (const auto& n : a) {
        if (!n.block) continue;
        auto it = std::find_if(b.begin(), b.end(), [&](const JNode& m) { return same_key(n, m); });
        if (it != b.end()) compare(n.kids, it->kids, path + " " + n.text, out);
    }
}

}  // namespace

JParseResult parse_junos(std::string_view text) {
    JParseResult r;
    std::vector<JTree*> stack{&r.tree};
    std::string stmt;
    int line = 1;
    bool quoted = false;
    auto fail = [&](const std::string& why) {
        if (r.ok) {
            r.ok = false;
            r.error_line = line;
            r.error = why;
        }
    };
    for (size_t i = 0; i < text.size() && r.ok; ++i) {
        char c = text[i];
        if (c == '\n') ++line;
        if (quoted) {
            stmt += c;
            if (c == '"') quoted = false;
            continue;
        }
        if (c == '"') {
            quoted = true;
            stmt += c;
            continue;
        }
        if (c == '#' && collapse_ws(stmt).empty()) {  // line comment
            while (i < text.size() && text[i] != '\n') ++i;
            ++line;
            continue;
        }
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            auto end = text.find("*/", i + 2);
            if (end == std::string_view::npos) {
                fail("unterminated comment");
                break;
            }
            line += static_cast<int>(
                std::count(text.begin() + static_cast<long>(i), text.begin() + static_cast<long>(end), '\n'));
            i = end + 1;
            continue;
        }
        if (c == ';' || c == '{') {
            std::string s = collapse_ws(stmt);
            stmt.clear();
            if (s.empty()) {
                fail("statement expected");
                break;
            }
            if (c == ';') {
                if (!(stack.size() == 1 && s.rfind("version ", 0) == 0)) stack.back()->push_back({s, false, {}});
            } else {
                stack.back()->push_back({s, true, {}});
                stack.push_back(&stack.back()->back().kids);
            }
            continue;
        }
        if (c == '}') {
            if (!collapse_ws(stmt).empty()) {
                fail("missing ';'");
                break;
            }
            if (stack.size() == 1) {
                fail("unbalanced '}'");
                break;
            }
            stack.pop_back();
            continue;
        }
        stmt += c;
    }
    if (r.ok && !collapse_ws(stmt).empty()) fail("missing ';'");
    if (r.ok && stack.size() != 1) fail("missing '}'");
    return r;
}

std::string render_junos(const JTree& tree) {
    std::string out;
    render(tree, 0, out, "");
    return out;
}

void merge_junos(JTree& into, const JTree& from) {
    for (const auto& n : from) {
        auto it = std::find_if(into.begin(), into.end(), [&](const JNode& m) { return same_key(n, m); });
        if (it == into.end()) into.push_back(n);
        else if (n.block) merge_junos(it->kids, n.kids);
    }
}

std::string compare_junos(const JTree& active, const JTree& candidate) {
    std::string out;
    compare(active, candidate, "", out);
    return out;
}

}  // namespace sim
