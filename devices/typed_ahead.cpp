#include "devices/typed_ahead.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "devices/defaults.h"
#include "devices/normalize.h"

namespace switchyard::devices {
namespace {

std::string_view rtrimmed(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

TypedAhead::TypedAhead(std::vector<std::string> lines, const Pattern& prompt)
    : lines_(std::move(lines)), prompt_(prompt), outputs_(lines_.size()) {
    for (const auto& l : lines_) typed_.append(l).push_back('\n');
    for (unsigned char c : typed_) typed_bytes_.set(c);
    for (auto& l : lines_) {
        l = std::string(rtrimmed(l));
        if (l.find_first_not_of(" \t") == std::string::npos)
            throw std::invalid_argument("a blank line cannot be typed ahead");
    }
}

std::string_view TypedAhead::rest_of_line(std::uint32_t at) const {
    return std::string_view(typed_).substr(at, line_end_[at] - at);
}

std::size_t TypedAhead::echoed_prefix(std::string_view text) const {
    if (text.empty() || !typed_bytes_.test(static_cast<unsigned char>(text[0]))) return 0;
    if (line_end_.empty()) {
        line_end_.resize(typed_.size());
        for (std::size_t i = typed_.size(); i-- > 0;)
            line_end_[i] = typed_[i] == '\n' ? static_cast<std::uint32_t>(i) : line_end_[i + 1];
        for (std::size_t i = 0; i < typed_.size(); ++i)
            if (typed_[i] != '\n') suffixes_.push_back(static_cast<std::uint32_t>(i));
        std::sort(suffixes_.begin(), suffixes_.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return rest_of_line(a) < rest_of_line(b); });
    }
    auto common = [](std::string_view a, std::string_view b) {
        std::size_t n = 0;
        while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
        return n;
    };
    // The suffix sharing the longest start with `text` sorts next to it.
    auto it = std::lower_bound(suffixes_.begin(), suffixes_.end(), text,
                               [&](std::uint32_t i, std::string_view t) { return rest_of_line(i) < t; });
    std::size_t best = 0;
    if (it != suffixes_.end()) best = common(rest_of_line(*it), text);
    if (it != suffixes_.begin()) best = std::max(best, common(rest_of_line(*std::prev(it)), text));
    return best;
}

// The echo of `want` ends the output line behind a prompt, which may follow
// a fragment the terminal echoed (the header). The first line's may stand
// alone: the prompt before it ended the previous read, and that read may
// have stopped at "r1#" before the prompt's trailing blank came (a device
// whose output trickles), so the blank starts this one.
bool TypedAhead::is_echo(std::string_view line, std::string_view want) const {
    if (line.size() < want.size() || line.substr(line.size() - want.size()) != want) return false;
    std::string_view before = line.substr(0, line.size() - want.size());
    if (next_ == 0 && before.find_first_not_of(" \t") == std::string_view::npos) return true;
    // The usual case: nothing echoed before the prompt.
    if (prompt_.search(before)) return true;
    // Else the prompt may begin anywhere up to the end of the fragment before
    // it (any start of a fragment is one too, and hostnames hold digits and
    // dots, which typed lines hold as well); no prompt is longer than the
    // prompt window.
    const std::size_t fragment = echoed_prefix(before);
    const std::size_t from = before.size() > defaults::kPromptWindow ? before.size() - defaults::kPromptWindow : 1;
    for (std::size_t at = from; at <= fragment && at < before.size(); ++at)
        if (prompt_.search(before.substr(at))) return true;
    return false;
}

void TypedAhead::consume(std::string_view complete_lines) {
    const std::string text = strip_terminal_codes(complete_lines);
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string_view line = rtrimmed(std::string_view(text).substr(start, nl - start));
        start = nl + 1;
        if (next_ < lines_.size() && is_echo(line, lines_[next_])) {
            ++next_;
            continue;
        }
        // Before the first echo: the rest of an earlier exchange, nobody's.
        if (next_ == 0) continue;
        line.remove_prefix(echoed_prefix(line));
        if (!rtrimmed(line).empty()) outputs_[next_ - 1].append(line).push_back('\n');
    }
}

}  // namespace switchyard::devices
