#include "devices/valid_utf8.h"

#include <iterator>

#include <utf8cpp/utf8.h>

namespace switchyard::devices {

bool is_valid_utf8(std::string_view text) {
    return text.find('\0') == std::string_view::npos && utf8::is_valid(text.begin(), text.end());
}

std::string valid_utf8(std::string_view text) {
    if (is_valid_utf8(text)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    // utf8cpp replaces each invalid sequence with one U+FFFD (Debian's
    // libutfcpp-dev); NULs are valid UTF-8 for it, so they go afterwards.
    utf8::replace_invalid(text.begin(), text.end(), std::back_inserter(out));
    if (out.find('\0') == std::string::npos) return out;
    std::string clean;
    clean.reserve(out.size() + 16);
    for (char c : out) {
        if (c == '\0') clean += kReplacementCharacter;
        else clean += c;
    }
    return clean;
}

}  // namespace switchyard::devices
