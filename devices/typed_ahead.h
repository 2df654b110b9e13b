// Lines typed ahead in one write (pipelined, as Netmiko's
// send_config_set(cmd_verify=False) sends them) and the output they bring
// back. A CLI reads typed-ahead lines one at a time: it echoes each one
// behind the prompt that ended the previous line's output, runs it, prints
// what it prints, then shows the next prompt (docs/device-cli.md, "Common").
// So the output between two echoes belongs to the first line, and the read
// is over once the last line has echoed and a prompt follows; a prompt seen
// earlier is only an intermediate one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "devices/pattern.h"

namespace switchyard::devices {

class TypedAhead {
public:
    // `lines` without their newlines; none may be blank (a blank line's echo
    // cannot be told apart from an empty output line). `prompt` must outlive
    // this object.
    TypedAhead(std::vector<std::string> lines, const Pattern& prompt);

    // The next complete output lines (text ending in '\n'), as they arrive.
    void consume(std::string_view complete_lines);
    // Every line has echoed: a prompt at the end of the output ends the read.
    bool all_echoed() const { return next_ == lines_.size(); }
    // How many lines have echoed so far (for a timeout's message).
    std::size_t echoed() const { return next_; }
    // What each line printed, without echoes and prompts ('\r' and terminal
    // escapes removed); outputs()[i] belongs to the i-th line.
    const std::vector<std::string>& outputs() const { return outputs_; }

private:
    bool is_echo(std::string_view line, std::string_view want) const;

    std::vector<std::string> lines_;  // trimmed on the right, as compared
    const Pattern& prompt_;
    std::vector<std::string> outputs_;
    std::size_t next_ = 0;  // the line whose echo comes next
};

}  // namespace switchyard::devices
