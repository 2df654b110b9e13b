// A POSIX extended regular expression (libc <regex.h>). Used for prompts
// instead of std::regex, whose GCC 12 implementation trips
// -Wmaybe-uninitialized under -O2 with sanitizers in every file that builds
// one, and which is slow on long outputs.
#pragma once

#include <regex.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::devices {

class Pattern {
public:
    // Throws std::invalid_argument for a bad expression. `^` and `$` match at
    // line boundaries (REG_NEWLINE).
    explicit Pattern(std::string expression);
    Pattern(const Pattern& other) : Pattern(other.expression_) {}
    Pattern& operator=(const Pattern& other);
    ~Pattern();

    // `at_line_start` false: `text` is the end of a longer line, so `^`
    // does not match at its start (REG_NOTBOL).
    bool search(std::string_view text, bool at_line_start = true) const;
    // Offset and length of the first match, if any.
    std::optional<std::pair<std::size_t, std::size_t>> find(std::string_view text, bool at_line_start = true) const;
    const std::string& expression() const { return expression_; }
    // True for an expression that starts with `^` and has no alternation:
    // it can only match text that starts a line.
    bool anchored() const {
        return !expression_.empty() && expression_.front() == '^' && expression_.find('|') == std::string::npos;
    }

private:
    std::string expression_;
    std::unique_ptr<regex_t> compiled_;
};

}  // namespace switchyard::devices
