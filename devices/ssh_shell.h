// An interactive shell on an SshSession: PTY (200 columns, per
// docs/device-cli.md), then typed lines and reads until a prompt pattern
// matches the last, unfinished line of output. Used where a device has no
// exec channel for what a driver needs (configuration modes, junos).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "devices/command_output.h"
#include "devices/pattern.h"
#include "devices/ssh_session.h"
#include "devices/typed_ahead.h"

namespace switchyard::devices {

class SshShell {
public:
    // Opens the channel, requests a PTY and a shell. Does not wait for the
    // first prompt: call read_until().
    explicit SshShell(SshSession& session);

    void write(std::string_view data);
    // Reads until one of `patterns` matches the text after the last newline
    // (a prompt has no newline after it). Returns everything read, and sets
    // matched() to the index of the pattern that matched. Throws
    // TimeoutError past `timeout` (the session's command timeout by default).
    std::string read_until(const std::vector<const Pattern*>& patterns,
                           std::optional<std::chrono::milliseconds> timeout = {});
    std::string read_until(const Pattern& pattern, std::optional<std::chrono::milliseconds> timeout = {});
    // Reads the output of lines typed ahead in one write: `typed` follows
    // their echoes, and only a prompt after the last one ends the read.
    std::string read_typed_ahead(const Pattern& prompt, TypedAhead& typed,
                                 std::optional<std::chrono::milliseconds> timeout = {});
    std::size_t matched() const { return matched_; }
    // The prompt line that ended the last read.
    const std::string& last_prompt() const { return last_prompt_; }

private:
    // The read loop: `done` looks at the output whenever more has arrived
    // (unless `anchored` and the last line is far longer than a prompt) and
    // ends the read by returning true.
    std::string read_while(std::optional<std::chrono::milliseconds> timeout, bool anchored,
                           const std::function<bool(const CommandOutput&)>& done);

    SshSession& session_;
    ChannelPtr channel_;
    std::size_t matched_ = 0;
    std::string last_prompt_;
};

}  // namespace switchyard::devices
