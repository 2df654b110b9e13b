#include "devices/ssh_shell.h"

#include <algorithm>

#include "devices/errors.h"

namespace switchyard::devices {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kWaitSlice{200};

// The unfinished last line, without `\r` and terminal escapes a PTY may add.
std::string tail_line(const std::string& buffer) {
    auto nl = buffer.find_last_of('\n');
    std::string tail = nl == std::string::npos ? buffer : buffer.substr(nl + 1);
    std::string clean;
    for (std::size_t i = 0; i < tail.size(); ++i) {
        if (tail[i] == '\r') continue;
        if (tail[i] == '\x1b' && i + 1 < tail.size() && tail[i + 1] == '[') {
            i += 2;
            while (i < tail.size() && !(tail[i] >= '@' && tail[i] <= '~')) ++i;
            continue;
        }
        clean += tail[i];
    }
    return clean;
}

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

std::string SshShell::read_until(const std::vector<const Pattern*>& patterns,
                                 std::optional<std::chrono::milliseconds> timeout) {
    auto limit = timeout.value_or(session_.options().command_timeout);
    auto deadline = Clock::now() + limit;
    std::string buffer;
    char buf[16384];
    while (true) {
        std::string tail = tail_line(buffer);
        for (std::size_t i = 0; i < patterns.size(); ++i) {
            if (!tail.empty() && patterns[i]->search(tail)) {
                matched_ = i;
                last_prompt_ = tail;
                return buffer;
            }
        }
        session_.check_stopped("waiting for the device's prompt");
        int n = ssh_channel_read_nonblocking(channel_.get(), buf, sizeof buf, 0);
        if (n > 0) {
            buffer.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == SSH_ERROR || ssh_channel_is_eof(channel_.get())) {
            session_.check_stopped("waiting for the device's prompt");
            throw DeviceError(session_.where() + "the shell closed before a prompt came back; last output: " +
                              tail_line(buffer));
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            throw TimeoutError(session_.where() + "no prompt within " + std::to_string(limit.count()) +
                               " ms; last output: " + tail);
        ssh_channel_poll_timeout(channel_.get(), static_cast<int>(std::min<long>(left, kWaitSlice.count())), 0);
        session_.keepalive();
    }
}

}  // namespace switchyard::devices
