#include "devices/ssh_shell.h"

#include <algorithm>

#include "devices/command_output.h"
#include "devices/errors.h"
#include "devices/valid_utf8.h"

namespace switchyard::devices {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kWaitSlice{200};

}  // namespace

SshShell::SshShell(SshSession& session) : session_(session), channel_(ssh_channel_new(session.native())) {
    session_.check_stopped("opening a shell");
    if (!channel_ || ssh_channel_open_session(channel_.get()) != SSH_OK) {
        session_.check_stopped("opening a shell");
        std::string msg = session_.where() + "cannot open a channel: " + session_.last_error();
        if (!session_.command_sent()) throw TransientError(msg);
        throw DeviceError(msg);
    }
    if (ssh_channel_request_pty_size(channel_.get(), "vt100", defaults::kPtyColumns, defaults::kPtyRows) != SSH_OK)
        throw DeviceError(session_.where() + "PTY request refused: " + session_.last_error());
    session_.mark_command_sent();
    if (ssh_channel_request_shell(channel_.get()) != SSH_OK)
        throw DeviceError(session_.where() + "shell request refused: " + session_.last_error());
}

void SshShell::write(std::string_view data) {
    session_.check_stopped("writing to the shell");
    std::size_t done = 0;
    while (done < data.size()) {
        int n = ssh_channel_write(channel_.get(), data.data() + done, static_cast<uint32_t>(data.size() - done));
        if (n <= 0) {
            session_.check_stopped("writing to the shell");
            throw DeviceError(session_.where() + "connection lost while writing: " + session_.last_error());
        }
        done += static_cast<std::size_t>(n);
    }
}

std::string SshShell::read_until(const Pattern& pattern, std::optional<std::chrono::milliseconds> timeout) {
    return read_until(std::vector<const Pattern*>{&pattern}, timeout);
}

// Reads whatever the device has sent (bounded by the output limit, the
// deadline and the stop token), then lets `done` look for a prompt at the
// end of the unfinished last line: a prompt is what the device prints before
// it pauses for input. The deadline holds however fast data arrives.
std::string SshShell::read_while(std::optional<std::chrono::milliseconds> timeout, bool anchored,
                                 const std::function<bool(const CommandOutput&)>& done) {
    const auto limit = timeout.value_or(session_.options().command_timeout);
    const auto deadline = Clock::now() + limit;
    CommandOutput output(session_.options().max_output_bytes, session_.where());
    auto timed_out = [&] {
        return TimeoutError(session_.where() + "no prompt within " + std::to_string(limit.count()) + " ms (" +
                            std::to_string(output.size()) + " bytes read); last output: " + output.tail().text);
    };
    char buf[16384];
    bool fresh = true;  // new output since the last look for a prompt
    while (true) {
        bool closed = false;
        for (;;) {
            session_.check_stopped("waiting for the device's prompt");
            if (Clock::now() >= deadline) throw timed_out();
            int n = ssh_channel_read_nonblocking(channel_.get(), buf, sizeof buf, 0);
            if (n > 0) {
                output.append(std::string_view(buf, static_cast<std::size_t>(n)));
                fresh = true;
                continue;
            }
            closed = n == SSH_ERROR || ssh_channel_is_eof(channel_.get());
            break;
        }
        // A line far longer than any prompt cannot be one for a pattern
        // anchored at the start of a line: such lines cost nothing to watch.
        const bool long_line = output.last_line_bytes() > 4 * defaults::kPromptWindow;
        if (fresh && !(long_line && anchored)) {
            fresh = false;
            if (done(output)) return output.text();
        }
        if (closed) {
            session_.check_stopped("waiting for the device's prompt");
            throw DeviceError(session_.where() +
                              "the shell closed before a prompt came back; last output: " + output.tail().text);
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) throw timed_out();
        ssh_channel_poll_timeout(channel_.get(), static_cast<int>(std::min<long>(left, kWaitSlice.count())), 0);
        session_.keepalive();
    }
}

std::string SshShell::read_until(const std::vector<const Pattern*>& patterns,
                                 std::optional<std::chrono::milliseconds> timeout) {
    const bool all_anchored =
        std::all_of(patterns.begin(), patterns.end(), [](const Pattern* p) { return p->anchored(); });
    return read_while(timeout, all_anchored, [&](const CommandOutput& output) {
        const auto tail = output.tail();
        for (std::size_t i = 0; i < patterns.size(); ++i) {
            if (!tail.text.empty() && patterns[i]->search(tail.text, tail.whole_line)) {
                matched_ = i;
                last_prompt_ = valid_utf8(tail.text);
                return true;
            }
        }
        return false;
    });
}

std::string SshShell::read_typed_ahead(const Pattern& prompt, TypedAhead& typed,
                                       std::optional<std::chrono::milliseconds> timeout) {
    std::size_t seen = 0;  // complete output lines handed to `typed` so far
    try {
        return read_while(timeout, prompt.anchored(), [&](const CommandOutput& output) {
            typed.consume(output.complete_lines(seen));
            seen = output.complete_size();
            if (!typed.all_echoed()) return false;
            const auto tail = output.tail();
            if (tail.text.empty() || !prompt.search(tail.text, tail.whole_line)) return false;
            matched_ = 0;
            last_prompt_ = valid_utf8(tail.text);
            return true;
        });
    } catch (const TimeoutError& e) {
        throw TimeoutError(std::string(e.what()) + " (" + std::to_string(typed.echoed()) + " of " +
                           std::to_string(typed.outputs().size()) + " typed-ahead lines echoed)");
    }
}

}  // namespace switchyard::devices
