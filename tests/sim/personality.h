// The CLI of one platform as seen by one SSH channel: prompts, modes and the
// commands of docs/device-cli.md. A personality keeps per-session state (mode,
// context, candidate) and reads/writes the shared Device under its mutex.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "device.h"

namespace sim {

// Thrown when the drop_mid_commit fault fires: the SSH layer then drops the
// TCP connection without a reply, as a device that crashed mid-commit would.
struct DropSession {};

struct Reply {
    std::string text;    // lines end in '\n'; the terminal converts for PTYs
    bool close = false;  // end the session after sending text
    bool error = false;  // the command failed (exit status of an exec channel)
};

struct SimClock {
    double confirm_minute_seconds = 60;  // junos `commit confirmed N`: seconds per minute
};

class Personality {
public:
    Personality(Device& dev, std::string user, const SimClock& clock)
        : dev_(dev), user_(std::move(user)), clock_(clock) {}
    virtual ~Personality() = default;

    virtual std::string prompt() const = 0;
    // Output shown when a shell opens, before the first prompt.
    virtual std::string greeting() const { return {}; }
    // One input line, without its line ending.
    virtual Reply line(const std::string& input) = 0;
    // Ctrl-D (0x04) at the start of a line: ends junos `load ... terminal`.
    virtual Reply end_of_input() { return {}; }
    // The error a platform prints for a rejected command (command_error fault).
    virtual std::string error_text(const std::string& command) const = 0;
    // Exec channels run with the login's privileges (eos: privilege 15 skips `enable`).
    virtual void enter_exec_mode() {}
    // False while the device reads a password: the terminal does not echo it.
    virtual bool echo_input() const { return true; }
    // True for a CLI that reads each line with a line editor in raw mode and
    // gives the terminal back to the kernel's cooked mode while it runs the
    // line (vtysh: GNU readline on a Linux PTY). Input reaching the terminal
    // meanwhile is echoed by the kernel at once (shell_session.h).
    virtual bool cooked_while_running() const { return false; }

protected:
    // Throws DropSession if the device has the drop_mid_commit fault.
    void before_commit();
    Device& dev_;
    std::string user_;
    const SimClock& clock_;
};

std::unique_ptr<Personality> make_personality(Device& dev, const std::string& user, const SimClock& clock);

// Runs one line, honouring the command_error fault.
Reply run_line(Personality& p, const Faults& faults, const std::string& line);
// An exec channel's command: one command, or several separated by newlines.
Reply run_exec(Personality& p, const Faults& faults, const std::string& command);

// Platform formats, implemented beside each personality.
// Canonical stored form of a config given in the platform's show format.
// Throws std::invalid_argument if it does not parse (junos braces).
std::string canonical_config(Platform p, std::string_view text);
// What `show running-config` / `show configuration` prints. Caller holds dev.mu.
std::string show_running_locked(const Device& dev);

std::string frr_canonical(std::string_view text);
std::string frr_show(const Device& dev, const std::string& config);
std::string eos_canonical(std::string_view text);
std::string eos_show(const Device& dev, const std::string& config, bool header);
std::string junos_canonical(std::string_view text);
std::string junos_show(const Device& dev, const std::string& config);

std::unique_ptr<Personality> make_frr(Device& dev, const std::string& user, const SimClock& clock);
std::unique_ptr<Personality> make_eos(Device& dev, const std::string& user, const SimClock& clock);
std::unique_ptr<Personality> make_junos(Device& dev, const std::string& user, const SimClock& clock);

}  // namespace sim
