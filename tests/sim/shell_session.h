// The terminal side of an interactive shell: echo, line assembly, Ctrl-C and
// Ctrl-D, CRLF output on a PTY, and the per-command latency / slow-output /
// hang-commands faults. Transport-agnostic: it writes through a callback.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "personality.h"

namespace sim {

// Writes bytes to the peer; false when the channel is gone.
using RawWriter = std::function<bool(std::string_view)>;

// Sends command output as the device would: CRLF on a PTY, after the
// configured latency, trickled when slow_output is set.
class OutputShaper {
public:
    OutputShaper(Device& dev, bool pty, RawWriter write) : dev_(dev), pty_(pty), write_(std::move(write)) {}
    bool send(std::string_view text);
    // A command's output: send() plus the huge_line and endless_output faults.
    bool send_output(std::string_view text);
    void command_latency() const;

private:
    Device& dev_;
    bool pty_;
    RawWriter write_;
};

class ShellSession {
public:
    ShellSession(Device& dev, std::unique_ptr<Personality> p, bool pty, RawWriter write);
    bool start();                       // greeting and first prompt
    bool feed(std::string_view bytes);  // false: close the channel
    bool finish();                      // peer sent EOF: run a last unterminated line

private:
    bool complete_line();
    bool reply(const Reply& r);

    Device& dev_;
    std::unique_ptr<Personality> p_;
    bool pty_;
    RawWriter write_;
    OutputShaper out_;
    std::string line_;
    std::string echo_;
    bool after_cr_ = false;
};

// An exec channel: runs the command and returns output plus exit status.
struct ExecResult {
    std::string output;
    int status = 0;
};
ExecResult run_exec_channel(Device& dev, Personality& p, const std::string& command);

}  // namespace sim
