#include "devices/pattern.h"

#include <stdexcept>

namespace switchyard::devices {

Pattern::Pattern(std::string expression) : expression_(std::move(expression)), compiled_(std::make_unique<regex_t>()) {
    int rc = regcomp(compiled_.get(), expression_.c_str(), REG_EXTENDED | REG_NEWLINE);
    if (rc != 0) {
        char buf[256];
        regerror(rc, compiled_.get(), buf, sizeof buf);
        compiled_.reset();
        throw std::invalid_argument("bad pattern '" + expression_ + "': " + buf);
    }
}

Pattern& Pattern::operator=(const Pattern& other) {
    if (this != &other) {
        Pattern copy(other);
        std::swap(expression_, copy.expression_);
        std::swap(compiled_, copy.compiled_);
    }
    return *this;
}

Pattern::~Pattern() {
    if (compiled_) regfree(compiled_.get());
}

std::optional<std::pair<std::size_t, std::size_t>> Pattern::find(std::string_view text, bool at_line_start) const {
    // regexec needs a NUL-terminated string; REG_STARTEND (a glibc extension)
    // would avoid the copy but is not POSIX.
    std::string copy(text);
    regmatch_t m;
    if (regexec(compiled_.get(), copy.c_str(), 1, &m, at_line_start ? 0 : REG_NOTBOL) != 0) return std::nullopt;
    return std::make_pair(static_cast<std::size_t>(m.rm_so), static_cast<std::size_t>(m.rm_eo - m.rm_so));
}

bool Pattern::search(std::string_view text, bool at_line_start) const { return find(text, at_line_start).has_value(); }

}  // namespace switchyard::devices
