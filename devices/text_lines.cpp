#include "devices/text_lines.h"

#include <ranges>

namespace switchyard::devices {

std::vector<std::string_view> line_views(std::string_view text) {
    std::vector<std::string_view> lines;
    for (auto line : std::views::split(text, '\n')) lines.emplace_back(line.begin(), line.end());
    // split() ends a text ending in '\n' with an empty piece: no line of it.
    if (text.ends_with('\n')) lines.pop_back();
    return lines;
}

std::vector<std::string> text_lines(std::string_view text) {
    std::vector<std::string> lines;
    for (std::string_view line : line_views(text)) {
        if (line.ends_with('\r')) line.remove_suffix(1);
        lines.emplace_back(line);
    }
    return lines;
}

}  // namespace switchyard::devices
