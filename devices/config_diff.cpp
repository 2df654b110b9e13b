#include "devices/config_diff.h"

#include <dtl/dtl.hpp>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "devices/normalize.h"
#include "devices/text_lines.h"

namespace switchyard::devices {
namespace {

// Both sides' lines as numbers, one per distinct line (views into the
// texts): dtl then compares and copies ints instead of strings. Equal
// numbers are equal lines, so the edit script, and the diff printed from
// it, is the one dtl finds on the strings.
struct InternedLines {
    std::vector<std::string_view> text_of;  // by number
    std::vector<int> from, to;
};

InternedLines intern(const std::vector<std::string_view>& from, const std::vector<std::string_view>& to) {
    InternedLines out;
    std::unordered_map<std::string_view, int> number;
    number.reserve(from.size() + to.size());
    auto add = [&](const std::vector<std::string_view>& lines, std::vector<int>& into) {
        into.reserve(lines.size());
        for (auto line : lines) {
            auto [it, fresh] = number.try_emplace(line, static_cast<int>(out.text_of.size()));
            if (fresh) out.text_of.push_back(line);
            into.push_back(it->second);
        }
    };
    add(from, out.from);
    add(to, out.to);
    return out;
}

// One step of an edit script: a line kept (' '), removed ('-') or added
// ('+'), with its 1-based line numbers (0 on the side it is not on).
struct Edit {
    char mark;
    long long from;
    long long to;
    int line;  // its number in InternedLines
};

std::vector<Edit> dtl_script(const std::vector<int>& from, const std::vector<int>& to) {
    dtl::Diff<int> diff(from, to);
    // Not onHuge(): it bounds nothing (compose() stops at dtl's
    // MAX_CORDINATES_SIZE edit-path points either way); it reserves that
    // bound, 48 MB, up front on every diff. A block that size is always
    // mapped apart (glibc maps anything above 32 MB whatever the threshold),
    // so each diff mapped it, faulted in the pages it touched and unmapped
    // it. The edit path grows as needed instead, in the malloc arenas
    // (service/malloc_tuning.cpp).
    diff.compose();
    std::vector<Edit> out;
    auto ses = diff.getSes();
    for (const auto& [line, info] : ses.getSequence())
        out.push_back({info.type == dtl::SES_ADD      ? '+'
                       : info.type == dtl::SES_DELETE ? '-'
                                                      : ' ',
                       info.beforeIdx, info.afterIdx, line});
    return out;
}

// Lines found on one side only match nothing, so they can be left out of
// what dtl compares and put back afterwards, each removed or added in its
// place: the script stays a shortest one (GNU diff and git's xdiff discard
// such lines too). It matters when the two configs share few lines (a
// device's first sync, a template rewritten): dtl's O(NP) search walks every
// diagonal between the two lengths once per round, and records a point for
// each, so a 2,000-line running config against a 60-line intended one
// sharing 5 lines took 1.2 ms (24.6 ms with glibc's default allocator
// settings, which fault in the growing path); left out, 0.04 ms.
// `sides[n]`: 1 when line n is in `from`, 2 in `to`, 3 in both.
std::vector<Edit> script_without_one_sided(const InternedLines& lines, const std::vector<unsigned char>& sides) {
    auto in_to = [&](int n) { return sides[static_cast<std::size_t>(n)] & 2; };
    auto in_from = [&](int n) { return sides[static_cast<std::size_t>(n)] & 1; };
    std::vector<int> from, to;
    std::vector<long long> from_line, to_line;  // a kept line's number in the whole text
    for (std::size_t i = 0; i < lines.from.size(); ++i)
        if (in_to(lines.from[i])) {
            from.push_back(lines.from[i]);
            from_line.push_back(static_cast<long long>(i) + 1);
        }
    for (std::size_t j = 0; j < lines.to.size(); ++j)
        if (in_from(lines.to[j])) {
            to.push_back(lines.to[j]);
            to_line.push_back(static_cast<long long>(j) + 1);
        }
    std::vector<Edit> out;
    out.reserve(lines.from.size() + lines.to.size());
    long long i = 1, j = 1;  // the next lines of each side not yet in `out`
    auto remove_before = [&](long long end) {
        for (; i < end; ++i) out.push_back({'-', i, 0, lines.from[static_cast<std::size_t>(i - 1)]});
    };
    auto add_before = [&](long long end) {
        for (; j < end; ++j) out.push_back({'+', 0, j, lines.to[static_cast<std::size_t>(j - 1)]});
    };
    for (const auto& e : dtl_script(from, to)) {
        long long f = e.mark == '+' ? 0 : from_line[static_cast<std::size_t>(e.from - 1)];
        long long t = e.mark == '-' ? 0 : to_line[static_cast<std::size_t>(e.to - 1)];
        if (e.mark != '+') remove_before(f);
        if (e.mark != '-') add_before(t);
        out.push_back({e.mark, f, t, e.line});
        if (e.mark != '+') i = f + 1;
        if (e.mark != '-') j = t + 1;
    }
    remove_before(static_cast<long long>(lines.from.size()) + 1);
    add_before(static_cast<long long>(lines.to.size()) + 1);
    return out;
}

// Below this many one-sided lines dtl sees both texts whole, so a small
// change reads exactly as dtl finds it (where lines repeat, another
// shortest script may place a change one repeat earlier).
constexpr std::size_t kOneSidedLinesToLeaveOut = 64;

std::vector<Edit> edit_script(const InternedLines& lines) {
    std::vector<unsigned char> sides(lines.text_of.size());
    for (int n : lines.from) sides[static_cast<std::size_t>(n)] |= 1;
    for (int n : lines.to) sides[static_cast<std::size_t>(n)] |= 2;
    std::size_t one_sided = 0;
    for (int n : lines.from) one_sided += sides[static_cast<std::size_t>(n)] == 1;
    for (int n : lines.to) one_sided += sides[static_cast<std::size_t>(n)] == 2;
    if (one_sided < kOneSidedLinesToLeaveOut) return dtl_script(lines.from, lines.to);
    return script_without_one_sided(lines, sides);
}

// dtl's composeUnifiedHunks over any edit script, to the character (a test
// compares the two on random texts): up to three lines of context before a
// change; a hunk ends once three kept lines follow its last change and no
// change comes within the next two (at the end of the text it keeps what is
// left); between kept lines, removals come before additions.
void append_hunks(std::string& out, const std::vector<Edit>& script, const std::vector<std::string_view>& text_of) {
    constexpr long long kContext = 3;
    const long long length = static_cast<long long>(script.size());
    std::vector<const Edit*> before, change, adds, removals;
    long long a = 0, b = 0, c = 0, d = 0, kept_after = 0;
    bool in_change = false, ending = false;
    auto take = [&](std::vector<const Edit*>& from) {
        change.insert(change.end(), from.begin(), from.end());
        from.clear();
    };
    auto line = [&](char mark, const Edit* e) {
        out.push_back(mark);
        out.append(text_of[static_cast<std::size_t>(e->line)]);
        out.push_back('\n');
    };
    for (long long k = 0; k < length; ++k) {
        const Edit& e = script[static_cast<std::size_t>(k)];
        const bool last = k + 1 >= length;
        if (e.mark != ' ') {
            kept_after = 0;
            (e.mark == '+' ? adds : removals).push_back(&e);
            in_change = true;
            ++(e.mark == '+' ? d : b);
            if (last) {
                take(removals);
                take(adds);
                ending = true;
            }
        } else {
            ++b;
            ++d;
            if (adds.empty() && removals.empty() && change.empty()) {
                if (static_cast<long long>(before.size()) < kContext) {
                    if (a == 0 && c == 0) {
                        a = e.from;
                        c = e.to;
                    }
                } else {
                    before.erase(before.begin());
                    ++a;
                    ++c;
                    --b;
                    --d;
                }
                before.push_back(&e);
            }
            if (in_change && !ending) {
                ++kept_after;
                take(removals);
                take(adds);
                change.push_back(&e);
                if (kept_after >= kContext || last) ending = true;
            }
        }
        if (!ending || change.empty()) continue;
        long long kept_next = 0;
        for (long long n = k; n < k + kContext && n < length; ++n)
            kept_next += script[static_cast<std::size_t>(n)].mark == ' ';
        if (kept_next < kContext && !last) {
            kept_after = 0;
            ending = false;
            continue;
        }
        out.append("@@ -")
            .append(std::to_string(a == 0 ? 1 : a))
            .append(",")
            .append(std::to_string(b))
            .append(" +")
            .append(std::to_string(c == 0 ? 1 : c))
            .append(",")
            .append(std::to_string(d))
            .append(" @@\n");
        for (const auto* kept : before) line(' ', kept);
        for (const auto* x : change) line(x->mark, x);
        in_change = ending = false;
        before.clear();
        change.clear();
        a = b = c = d = kept_after = 0;
    }
}

}  // namespace

std::string unified_diff(std::string_view from, std::string_view to, std::string_view from_label,
                         std::string_view to_label) {
    if (from == to) return "";
    auto lines = intern(line_views(from), line_views(to));
    auto script = edit_script(lines);
    if (std::all_of(script.begin(), script.end(), [](const Edit& e) { return e.mark == ' '; })) return "";
    std::string out;
    out.reserve(from.size() + to.size() / 4);
    out.append("--- ").append(from_label).append("\n+++ ").append(to_label).append("\n");
    append_hunks(out, script, lines.text_of);
    return out;
}

DiffStats diff_stats(std::string_view unified) {
    DiffStats s;
    auto lines = line_views(unified);
    // The first two lines are the "---"/"+++" header, not changes.
    for (std::size_t i = 2; i < lines.size(); ++i) {
        if (!lines[i].empty() && lines[i][0] == '+') ++s.added;
        if (!lines[i].empty() && lines[i][0] == '-') ++s.removed;
    }
    return s;
}

}  // namespace switchyard::devices
