// The terminal side of an interactive shell: echo, line assembly, Ctrl-C and
// Ctrl-D, CRLF output on a PTY, and the per-command latency / slow-output /
// hang-commands faults. Transport-agnostic: it writes through a callback.
//
// Latency is the network's round trip, not a cost per line: a line's answer
// goes out `latency_ms` after the line ARRIVED. A client that waits for each
// prompt pays it per command; lines typed ahead or pasted in one burst arrive
// together and are answered together (docs/device-cli.md, "Common").
//
// The terminal's line discipline, for a CLI that runs each line with the
// terminal in cooked mode (Personality::cooked_while_running, FRR's vtysh):
// it holds at most 4,095 bytes the program has not read; more input waits
// in the PTY and enters as the program reads. What enters while a line
// runs (or arrived while one ran) is echoed by the kernel at once, bare,
// before that line's output; what enters while the line editor waits at a
// prompt is not. So a typed-ahead chunk over 4 KB comes back with fragments
// of its later lines in front of prompts and error texts, as measured on
// FRR 8.4 over OpenSSH (docs/device-cli.md, "Common").
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "personality.h"

namespace sim {

using Clock = std::chrono::steady_clock;

// Writes bytes to the peer; false when the channel is gone.
using RawWriter = std::function<bool(std::string_view)>;
// Waits until `until` while the transport goes on reading what the peer
// sends (so that bytes sent meanwhile keep their true arrival time); false
// when the channel is gone or the simulator stops.
using Waiter = std::function<bool(Clock::time_point until)>;

// Sends command output as the device would: CRLF on a PTY, after the
// configured latency, trickled when slow_output is set.
class OutputShaper {
public:
    OutputShaper(Device& dev, bool pty, RawWriter write) : dev_(dev), pty_(pty), write_(std::move(write)) {}
    bool send(std::string_view text);
    // A command's output: send() plus the huge_line and endless_output faults.
    bool send_output(std::string_view text);

private:
    Device& dev_;
    bool pty_;
    RawWriter write_;
};

class ShellSession {
public:
    ShellSession(Device& dev, std::unique_ptr<Personality> p, bool pty, RawWriter write, Waiter wait);
    bool start();  // greeting and first prompt
    // Bytes the peer sent, received at `arrived`. False: close the channel.
    bool feed(std::string_view bytes, Clock::time_point arrived);
    bool finish();  // peer sent EOF: run a last unterminated line

private:
    // The program reads `bytes`: echo, line assembly, control characters.
    bool read_input(std::string_view bytes);
    // Moves what fits from waiting_ into the line discipline, echoing it
    // when a line is running.
    bool admit(bool running);
    bool complete_line();
    bool reply(const Reply& r);
    // Waits out the latency of input that arrived at arrived_.
    bool answer_due();

    Device& dev_;
    std::unique_ptr<Personality> p_;
    bool pty_;
    RawWriter write_;
    OutputShaper out_;
    Waiter wait_;
    Clock::time_point arrived_{};  // when the bytes being fed arrived
    std::string line_;
    std::string echo_;
    bool after_cr_ = false;
    bool cooked_while_running_;
    std::string waiting_;            // in the PTY, not yet in the line discipline
    std::string ldisc_;              // in the line discipline, not yet read
    Clock::time_point prompt_at_{};  // when the last prompt went out
};

// An exec channel: runs the command and returns output plus exit status.
struct ExecResult {
    std::string output;
    int status = 0;
};
ExecResult run_exec_channel(Device& dev, Personality& p, const std::string& command);

}  // namespace sim
