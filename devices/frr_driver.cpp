#include "devices/frr_driver.h"

#include "devices/errors.h"

namespace switchyard::devices {

std::string FrrDriver::run(const std::string& line) {
    if (!shell_ready_) {
        shell_ready_ = true;
        cli_.shell("terminal length 0");
    }
    std::string out = cli_.shell(line);
    check_output(Platform::frr, cli_.device(), line, out);
    return out;
}

void FrrDriver::run_config_line(const std::string& line) {
    try {
        run(line);
    } catch (const CommandError&) {
        // vtysh often knows only a shorter negation than the line it printed
        // ("no description" for " description some text"). As frr-reload
        // does, drop the last word and try again while more than "no X" is left.
        std::string shorter = line;
        while (shorter.find_first_not_of(' ') != std::string::npos &&
               shorter.compare(shorter.find_first_not_of(' '), 3, "no ") == 0) {
            auto last_space = shorter.find_last_of(' ');
            auto first_word_end = shorter.find(' ', shorter.find_first_not_of(' ') + 3);
            if (last_space == std::string::npos || first_word_end == std::string::npos || last_space < first_word_end)
                break;
            shorter.resize(last_space);
            try {
                run(shorter);
                return;
            } catch (const CommandError&) {
            }
        }
        throw;
    }
}

// vtysh's show running-config opens with "Building configuration..." and
// "Current configuration:". Whatever comes before is not the router's: a
// login shell's noise (a ~/.bashrc that prints, as one on the lab's host
// did: "rm: cannot remove ..."), a banner. Taken as config it would be
// pushed back as lines to delete, so it is cut off; output without the
// header is no config at all and fails the device.
std::string frr_config_from_show(const std::string& device, const std::string& out) {
    static constexpr std::string_view kCurrent = "Current configuration:";
    static constexpr std::string_view kBuilding = "Building configuration...";
    std::size_t at = std::string::npos;
    for (std::size_t line = 0; line < out.size();) {
        if (out.compare(line, kCurrent.size(), kCurrent) == 0) {
            at = line;
            break;
        }
        auto nl = out.find('\n', line);
        if (nl == std::string::npos) break;
        line = nl + 1;
    }
    if (at == std::string::npos)
        throw DeviceError(device + ": show running-config printed no \"" + std::string(kCurrent) +
                          "\" header: not a vtysh configuration (" + std::to_string(out.size()) + " bytes)");
    // Keep the "Building configuration..." line and the blank one after it.
    std::size_t from = at;
    if (auto b = out.rfind(kBuilding, at); b != std::string::npos && (b == 0 || out[b - 1] == '\n')) {
        bool only_blank = true;
        for (std::size_t i = b + kBuilding.size(); i < at; ++i)
            if (out[i] != '\n' && out[i] != '\r') only_blank = false;
        if (only_blank) from = b;
    }
    return out.substr(from);
}

std::string FrrDriver::running_config() {
    // The exec channel runs one vtysh command (the lab's ForceCommand).
    std::string out = cli_.exec("show running-config").output;
    check_output(Platform::frr, cli_.device(), "show running-config", out);
    return frr_config_from_show(cli_.device(), out);
}

void FrrDriver::load_candidate(const std::string& config) {
    previous_ = running_config();
    changes_ = frr_changeset(previous_, config);
}

std::string FrrDriver::candidate_diff() {
    if (!changes_ || changes_->empty()) return "";
    std::string out;
    for (auto& line : changes_->vtysh_lines()) out += line + "\n";
    return out;
}

void FrrDriver::apply() {
    if (!changes_) throw std::logic_error("frr: commit without a loaded candidate");
    auto changes = std::move(*changes_);
    changes_.reset();
    if (changes.empty()) return;
    run("configure terminal");
    try {
        for (auto& line : changes.vtysh_lines()) run_config_line(line);
        run("end");
    } catch (const CommandError& e) {
        // Half a change set is the worst state to leave a router in: put
        // back what was there, then report the first error.
        std::string restored = "; restoring the previous config failed";
        try {
            cli_.shell("end");
            auto back = frr_changeset(running_config(), previous_);
            if (!back.empty()) {
                run("configure terminal");
                for (auto& line : back.vtysh_lines()) run_config_line(line);
                run("end");
            }
            restored = "; the previous config was restored";
        } catch (const std::exception&) {
        }
        throw CommandError(e.what() + restored);
    }
}

void FrrDriver::write_memory() { run("write memory"); }

void FrrDriver::commit() {
    apply();
    write_memory();
}

PendingCommit FrrDriver::commit_confirmed(std::chrono::seconds timer) {
    std::string previous = previous_;
    apply();
    // Not saved: a reboot before confirm() also returns to the old config.
    return PendingCommit{"", previous, timer, enforces_confirm_timer()};
}

void FrrDriver::confirm(const PendingCommit&) { write_memory(); }

void FrrDriver::discard() { changes_.reset(); }

}  // namespace switchyard::devices
