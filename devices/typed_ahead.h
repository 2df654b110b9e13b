// Lines typed ahead in one write (pipelined, as Netmiko's
// send_config_set(cmd_verify=False) sends them) and the output they bring
// back. A CLI reads typed-ahead lines one at a time: it echoes each one
// behind the prompt that ended the previous line's output, runs it, prints
// what it prints, then shows the next prompt (docs/device-cli.md, "Common").
// So the output between two echoes belongs to the first line, and the read
// is over once the last line has echoed and a prompt follows; a prompt seen
// earlier is only an intermediate one.
//
// A terminal echoes too. Input that reaches a Linux PTY while the program
// is busy running a command (its line editor not reading, the terminal back
// in cooked mode) is echoed by the kernel at once, bare, between one line's
// output and the next prompt: a typed-ahead chunk larger than the line
// discipline's 4,095 bytes always meets this, as its tail only enters as
// the program reads. Measured on FRR 8.4's vtysh over OpenSSH
// (docs/device-cli.md, "Common"):
//   sw(config)# ip route bogus4 blackhole
//   le
//   i% Unknown command: ip route bogus4 blackhole
//   /32 blackholesw(config)# ip route 10.97.0.6/32 blackhole
// So an echo is the typed line behind a prompt that may itself follow such
// a fragment, and an output line loses a leading fragment of the typed text
// (a line that is nothing but one is dropped): without that, one fragment
// hid every later echo until the read timed out, and hid the error text
// of the line it preceded.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
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
    // escapes removed) and without what the terminal echoed of the typed
    // text; outputs()[i] belongs to the i-th line. A typed line holding an
    // error's own text (a description with "% " in it) could have that part
    // taken for echo: typed configs do not hold a CLI's error texts.
    const std::vector<std::string>& outputs() const { return outputs_; }

private:
    bool is_echo(std::string_view line, std::string_view want) const;
    // The length of the longest start of `text` that occurs in one typed
    // line: what a terminal's bare echo of them can leave there.
    std::size_t echoed_prefix(std::string_view text) const;
    // typed_ from `at` to the end of its line.
    std::string_view rest_of_line(std::uint32_t at) const;

    std::vector<std::string> lines_;  // trimmed on the right, as compared
    std::string typed_;               // the lines as typed, each ended by '\n'
    std::bitset<256> typed_bytes_;    // which bytes typed_ holds
    // Every position in typed_ but its '\n's, sorted by the text from there
    // to the end of its line: the longest start of a text that occurs in a
    // typed line is then found by a binary search, in time bounded by the
    // longest typed line however long the device's line is. Built on first
    // use: a chunk the device reads without echoing it bare (under 4 KB, or
    // a CLI that never hands its terminal back) never needs it.
    mutable std::vector<std::uint32_t> suffixes_;
    mutable std::vector<std::uint32_t> line_end_;  // per position of typed_, where its line ends
    const Pattern& prompt_;
    std::vector<std::string> outputs_;
    std::size_t next_ = 0;  // the line whose echo comes next
};

}  // namespace switchyard::devices
