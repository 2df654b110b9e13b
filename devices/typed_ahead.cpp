#include "devices/typed_ahead.h"

#include <stdexcept>

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
    for (auto& l : lines_) {
        l = std::string(rtrimmed(l));
        if (l.find_first_not_of(" \t") == std::string::npos)
            throw std::invalid_argument("a blank line cannot be typed ahead");
    }
}

// The echo of `want` ends the output line behind a prompt. The first line's
// may stand alone: the prompt before it ended the previous read, and that
// read may have stopped at "r1#" before the prompt's trailing blank came (a
// device whose output trickles), so the blank starts this one.
bool TypedAhead::is_echo(std::string_view line, std::string_view want) const {
    if (line.size() < want.size() || line.substr(line.size() - want.size()) != want) return false;
    std::string_view before = line.substr(0, line.size() - want.size());
    if (next_ == 0 && before.find_first_not_of(" \t") == std::string_view::npos) return true;
    return prompt_.search(before);
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
        if (next_ > 0) outputs_[next_ - 1].append(line).push_back('\n');
    }
}

}  // namespace switchyard::devices
