#include "shell_session.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "traffic.h"

namespace sim {

namespace {

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

// UTF-8 to ISO-8859-1 where a character has a Latin-1 byte (U+0080..U+00FF),
// as a device with a Latin-1 terminal sends it; other text is left as is.
std::string to_latin1(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
            unsigned char next = static_cast<unsigned char>(text[i + 1]);
            if ((next & 0xC0) == 0x80) {
                out += static_cast<char>(((c & 0x03) << 6) | (next & 0x3F));
                ++i;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// N_TTY_BUF_SIZE - 1: what a Linux line discipline holds unread.
constexpr std::size_t kLineDisciplineBytes = 4095;

// The kernel's echo in cooked mode: a line end as CR LF (ONLCR), other
// control characters as ^X (ECHOCTL).
std::string cooked_echo(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '\r' || c == '\n') {
            out += "\r\n";
            if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;  // one line end, as feed() reads it
        } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
            out += '^';
            out += static_cast<char>(c + 64);
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

bool OutputShaper::send(std::string_view text) {
    if (text.empty()) return true;
    Faults f = dev_.faults();
    std::string data = pty_ ? to_crlf(text) : std::string(text);
    if (f.latin1_output) data = to_latin1(data);
    if (f.slow_output_bytes <= 0) return write_(data);
    std::string_view rest = data;
    while (!rest.empty()) {
        size_t n = std::min(rest.size(), static_cast<size_t>(f.slow_output_bytes));
        if (!write_(rest.substr(0, n))) return false;
        rest.remove_prefix(n);
        if (!rest.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(f.slow_output_interval_ms));
    }
    return true;
}

bool OutputShaper::send_output(std::string_view text) {
    Faults f = dev_.faults();
    if (f.huge_line > 0 && !text.empty()) {
        std::string with(text);
        if (with.back() != '\n') with += '\n';
        with += dev_.platform() == Platform::junos ? "# " : "! ";
        with.append(static_cast<size_t>(f.huge_line), 'x');
        with += '\n';
        if (!send(with)) return false;
    } else if (!send(text)) {
        return false;
    }
    if (f.endless_output <= 0) return true;
    // A device that never stops: lines until the peer goes away (the writer
    // fails once the channel is closed or the simulator stops).
    std::string line(static_cast<size_t>(f.endless_output), 'y');
    line += '\n';
    std::string chunk;
    while (chunk.size() < 16384) chunk += line;
    for (;;)
        if (!send(chunk)) return false;
}

ShellSession::ShellSession(Device& dev, std::unique_ptr<Personality> p, bool pty, RawWriter write, Waiter wait)
    : dev_(dev),
      p_(std::move(p)),
      pty_(pty),
      write_(write),
      out_(dev, pty, std::move(write)),
      wait_(std::move(wait)),
      cooked_while_running_(pty && p_->cooked_while_running()) {}

bool ShellSession::start() {
    if (!out_.send(p_->greeting()) || !out_.send(p_->prompt())) return false;
    prompt_at_ = Clock::now();
    return true;
}

bool ShellSession::reply(const Reply& r) {
    if (!out_.send_output(r.text)) return false;
    if (r.close) return false;
    if (!out_.send(p_->prompt())) return false;
    prompt_at_ = Clock::now();
    return true;
}

bool ShellSession::admit(bool running) {
    const std::size_t n =
        std::min(waiting_.size(), kLineDisciplineBytes - std::min(kLineDisciplineBytes, ldisc_.size()));
    if (n == 0) return true;
    const std::string in = waiting_.substr(0, n);
    waiting_.erase(0, n);
    ldisc_ += in;
    return !running || write_(cooked_echo(in));
}

// A round trip from the arrival of the input: a line that arrived while
// earlier ones were being answered is already due (pasted input pays one
// round trip, not one per line).
bool ShellSession::answer_due() {
    int ms = dev_.latency_ms();
    if (ms <= 0) return true;
    auto due = arrived_ + std::chrono::milliseconds(ms);
    if (Clock::now() >= due) return true;
    ++traffic(dev_.platform()).round_trips;
    return wait_(due);
}

// Echo is flushed before each command runs so a typed-ahead line appears
// after the previous command's output, as on a real terminal.
bool ShellSession::complete_line() {
    if (pty_) echo_ += "\r\n";
    if (!echo_.empty() && !write_(echo_)) return false;
    echo_.clear();
    // The line editor has returned the line and the terminal is cooked
    // again: the room the line leaves fills with input, echoed at once.
    if (cooked_while_running_ && !admit(true)) return false;
    std::string line = std::move(line_);
    line_.clear();
    auto& t = traffic(dev_.platform());
    ++t.shell_lines;
    if (is_config_read(line)) ++t.config_reads;
    Faults f = dev_.faults();
    if (f.hang_commands) return true;  // the device swallows the command, never answers
    if (!answer_due()) return false;
    return reply(run_line(*p_, f, line));
}

bool ShellSession::feed(std::string_view bytes, Clock::time_point arrived) {
    arrived_ = arrived;
    if (!cooked_while_running_) return read_input(bytes);
    waiting_.append(bytes);
    // Input that arrived before the last prompt went out met a line running.
    if (!admit(arrived < prompt_at_)) return false;
    while (!ldisc_.empty()) {
        // The program reads a line (or what there is of one); a line that
        // ends runs inside read_input, admitting more as it starts.
        const auto end = ldisc_.find_first_of("\r\n");
        const std::string piece = ldisc_.substr(0, end == std::string::npos ? std::string::npos : end + 1);
        ldisc_.erase(0, piece.size());
        if (!read_input(piece)) return false;
        // The line editor reads on at its prompt: raw, no echo.
        if (ldisc_.empty() && !admit(false)) return false;
    }
    return true;
}

bool ShellSession::read_input(std::string_view bytes) {
    for (char c : bytes) {
        if (after_cr_ && c == '\n') {  // CR LF is one line end
            after_cr_ = false;
            continue;
        }
        after_cr_ = false;
        if (c == '\r' || c == '\n') {
            after_cr_ = c == '\r';
            if (!complete_line()) return false;
        } else if (c == '\x04') {
            if (!line_.empty()) continue;
            if (pty_) echo_ += "^D";  // echoctl, as real terminals show it ("^Dload complete")
            if (!echo_.empty() && !write_(echo_)) return false;
            echo_.clear();
            if (dev_.faults().hang_commands) continue;
            ++traffic(dev_.platform()).shell_lines;
            if (!answer_due() || !reply(p_->end_of_input())) return false;
        } else if (c == '\x03') {
            line_.clear();
            if (pty_) echo_ += "^C\r\n";
            if (!write_(echo_)) return false;
            echo_.clear();
            if (!out_.send(p_->prompt())) return false;
        } else if (c == '\x7f' || c == '\b') {
            if (!line_.empty()) {
                line_.pop_back();
                if (pty_) echo_ += "\b \b";
            }
        } else {
            line_ += c;
            if (pty_ && p_->echo_input()) echo_ += c;
        }
    }
    if (!echo_.empty() && !write_(echo_)) return false;
    echo_.clear();
    return true;
}

bool ShellSession::finish() {
    if (line_.empty()) return true;
    return complete_line();
}

ExecResult run_exec_channel(Device& dev, Personality& p, const std::string& command) {
    Faults f = dev.faults();
    if (f.hang_commands) return {"", -1};
    if (int ms = dev.latency_ms(); ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    Reply r = run_exec(p, f, command);
    return {r.text, r.error ? 1 : 0};
}

}  // namespace sim
