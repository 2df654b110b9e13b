// What one device command prints, collected as it arrives: bounded in size
// (a device that never stops sending fails instead of filling memory), its
// unfinished last line followed incrementally so that looking for a prompt
// costs the same on a 400,000-character line as on a short one, and handed
// out as valid UTF-8 (devices/valid_utf8.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::devices {

class CommandOutput {
public:
    // `where` starts error messages ("device r1 (10.0.0.1:22): ").
    CommandOutput(std::size_t max_bytes, std::string where);

    // Throws DeviceError once the output (plus `counted_elsewhere`, e.g. the
    // other stream of an exec channel) passes max_bytes.
    void append(std::string_view bytes, std::size_t counted_elsewhere = 0);

    // The end of the unfinished last line, as a prompt matcher sees it: its
    // last kPromptWindow characters without '\r' and terminal escapes.
    // `whole_line` is false when the line was longer (then it cannot be
    // matched as starting at the beginning of a line).
    struct Tail {
        std::string text;
        bool whole_line = true;
    };
    Tail tail() const;

    // Bytes of the unfinished last line as received (escapes included).
    std::size_t last_line_bytes() const { return bytes_.size() - line_start_; }
    // The bytes of the complete lines (up to the last '\n') from offset
    // `from` on, as received; complete_size() is where they end.
    std::string_view complete_lines(std::size_t from) const {
        return std::string_view(bytes_).substr(from, line_start_ - from);
    }
    std::size_t complete_size() const { return line_start_; }
    std::size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }
    // Everything so far, as valid UTF-8.
    std::string text() const;

private:
    std::size_t max_bytes_;
    std::string where_;
    std::string bytes_;
    std::size_t line_start_ = 0;  // where the unfinished last line begins
};

}  // namespace switchyard::devices
