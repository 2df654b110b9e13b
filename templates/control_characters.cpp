#include "templates/control_characters.h"

#include <cstdio>

#include "devices/valid_utf8.h"

namespace switchyard::templates::detail {
namespace {

std::string name_of(unsigned code) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", code);
    const char* name = nullptr;
    switch (code) {
        case 0x00: name = "NUL"; break;
        case 0x04: name = "Ctrl-D"; break;
        case 0x09: name = "tab"; break;
        case 0x0A: name = "line feed"; break;
        case 0x0D: name = "carriage return"; break;
        case 0x1B: name = "escape"; break;
        case 0x7F: name = "delete"; break;
        default: break;
    }
    return name ? std::string(name) + " (" + hex + ")" : std::string("control character ") + hex;
}

}  // namespace

std::optional<ControlCharacter> find_control_character(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) return ControlCharacter{i, name_of(c)};
        // C1 controls, U+0080..U+009F, are 0xC2 0x80..0x9F in UTF-8.
        if (c == 0xC2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) return ControlCharacter{i, name_of(next)};
        }
    }
    if (!devices::is_valid_utf8(text)) {
        const std::string fixed = devices::valid_utf8(text);
        std::size_t i = 0;
        while (i < text.size() && i < fixed.size() && text[i] == fixed[i]) ++i;
        return ControlCharacter{i, "a byte that is not UTF-8"};
    }
    return std::nullopt;
}

}  // namespace switchyard::templates::detail
