// What a driver needs from a connection to a device: exec a command, or type
// lines into the interactive shell. SshCli (ssh_cli.h) implements it over
// libssh; tests implement it with scripted answers, so driver dialogues are
// tested without a network.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "devices/pattern.h"

namespace switchyard::devices {

// What one exec-channel command printed (stdout then stderr) and its exit
// status: a JunOS root login's shell answers "show: Command not found."
// with status 1, which is no config.
struct ExecOutput {
    std::string output;
    int exit_status = 0;
};

class DeviceCli {
public:
    virtual ~DeviceCli() = default;
    // One command on an exec channel.
    virtual ExecOutput exec(const std::string& command) = 0;
    // Types `line` and a newline into the shell (opened on first use, up to
    // its first prompt) and returns what the device printed before the next
    // prompt, without the echo and the prompt. `timeout` replaces the
    // session's command timeout for this line (commits may take longer).
    virtual std::string shell(const std::string& line, std::optional<std::chrono::milliseconds> timeout = {}) = 0;
    // Types `lines` (none blank) in one write, each followed by a newline,
    // without waiting for the prompts in between: one round trip instead of
    // one per line (docs/device-cli.md, "Common"). Reads until the last line
    // has echoed and a prompt follows, within `timeout` (the session's
    // command timeout by default), and returns what each line printed, in
    // order (devices/typed_ahead.h). The caller keeps the lines few enough
    // that their echo fits the SSH window (defaults::kTypeAheadBytes).
    virtual std::vector<std::string> shell_typed_ahead(const std::vector<std::string>& lines,
                                                       std::optional<std::chrono::milliseconds> timeout = {}) = 0;
    // Types `text` as is and reads until the prompt or one of `also`
    // (questions such as "[yes,no]"). Returns the raw output; matched() then
    // says which: 0 for the prompt, i + 1 for also[i].
    virtual std::string shell_raw(const std::string& text, const std::vector<const Pattern*>& also) = 0;
    virtual std::size_t matched() const = 0;
    // The prompt that ended the last shell read ("r1(config)# "); opens the
    // shell first if needed, so it is the login prompt before any command.
    virtual std::string prompt() = 0;
    // The device's name, for error messages.
    virtual const std::string& device() const = 0;
};

}  // namespace switchyard::devices
