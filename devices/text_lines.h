// Splitting a config, or what a device prints, into lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::devices {

// The lines of `text` as views into it, each without its '\n'. A text
// ending in '\n' has no empty last line; an empty text has no line.
std::vector<std::string_view> line_views(std::string_view text);

// The same lines as strings, each also without a '\r' before its '\n'
// (devices end their lines in "\r\n").
std::vector<std::string> text_lines(std::string_view text);

}  // namespace switchyard::devices
