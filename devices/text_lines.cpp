#include "devices/text_lines.h"

namespace switchyard::devices {

std::vector<std::string_view> line_views(std::string_view text) {
    // string_view::find (memchr), not std::views::split, which compares a
    // character at a time: 14 against 49 us for a 2,000-line config (g++ 12,
    // -O2), and a sync splits two configs and a diff per device.
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
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
