#include "devices/junos_driver.h"

#include <algorithm>

#include "devices/errors.h"

namespace switchyard::devices {
namespace {

// Configuration mode prints "[edit]" (or "[edit interfaces]") before each
// prompt; it is not output of the command.
std::string drop_edit_banners(const std::string& out) {
    std::string kept;
    std::size_t start = 0;
    while (start < out.size()) {
        auto nl = out.find('\n', start);
        if (nl == std::string::npos) nl = out.size();
        std::string line = out.substr(start, nl - start);
        start = nl + 1;
        if (line.rfind("[edit", 0) == 0 && line.back() == ']' && line.find(' ', 5) == std::string::npos) continue;
        if (line == "[edit]") continue;
        kept += line + "\n";
    }
    return kept;
}

}  // namespace

JunosDriver::JunosDriver(DeviceCli& cli) : cli_(cli), exit_question_(R"(\[yes,no\].*$)") {}

std::string JunosDriver::run(const std::string& line) {
    if (!shell_ready_) {
        shell_ready_ = true;
        cli_.shell("set cli screen-length 0");
        cli_.shell("set cli screen-width 0");
    }
    std::string out = cli_.shell(line);
    check_output(Platform::junos, cli_.device(), line, out);
    return out;
}

void JunosDriver::enter_config() {
    if (in_config_) return;
    run("configure private");
    in_config_ = true;
}

void JunosDriver::leave_config() {
    if (!in_config_) return;
    in_config_ = false;
    cli_.shell_raw("exit\n", {&exit_question_});
    if (cli_.matched() == 1) cli_.shell_raw("yes\n", {});
}

std::string JunosDriver::running_config() {
    // JunOS runs operational commands on exec channels too, unpaged; this
    // also works while the shell sits in configuration mode.
    std::string out = cli_.exec("show configuration");
    check_output(Platform::junos, cli_.device(), "show configuration", out);
    return out;
}

void JunosDriver::load_candidate(const std::string& config) {
    previous_ = running_config();
    enter_config();
    std::string text = config;
    if (!text.empty() && text.back() != '\n') text += '\n';
    // No prompt comes back until Ctrl-D ends the input, so the command, the
    // config and Ctrl-D go in one write.
    std::string out = cli_.shell_raw("load override terminal\n" + text + "\x04", {});
    try {
        check_output(Platform::junos, cli_.device(), "load override terminal", out);
        if (out.find("load complete") == std::string::npos)
            throw CommandError("device " + cli_.device() + " did not confirm 'load override terminal'");
    } catch (const CommandError&) {
        try {
            run("rollback 0");
            leave_config();
        } catch (const std::exception&) {
        }
        throw;
    }
}

std::string JunosDriver::candidate_diff() {
    if (!in_config_) throw std::logic_error("junos: diff without a loaded candidate");
    std::string out = drop_edit_banners(run("show | compare"));
    return out.find_first_not_of(" \n") == std::string::npos ? "" : out;
}

void JunosDriver::commit() {
    if (!in_config_) throw std::logic_error("junos: commit without a loaded candidate");
    run("commit check");
    std::string out = run("commit");
    if (out.find("commit complete") == std::string::npos)
        throw CommandError("device " + cli_.device() + " did not confirm 'commit': " + out);
    leave_config();
}

PendingCommit JunosDriver::commit_confirmed(std::chrono::seconds timer) {
    if (!in_config_) throw std::logic_error("junos: commit without a loaded candidate");
    // JunOS counts in whole minutes: round up so the window is never shorter.
    long minutes = std::max<long>(1, (static_cast<long>(timer.count()) + 59) / 60);
    run("commit check");
    std::string out = run("commit confirmed " + std::to_string(minutes));
    if (out.find("commit complete") == std::string::npos)
        throw CommandError("device " + cli_.device() + " did not confirm 'commit confirmed': " + out);
    leave_config();
    return PendingCommit{"", previous_, std::chrono::seconds(minutes * 60), true};
}

void JunosDriver::confirm(const PendingCommit&) {
    enter_config();
    std::string out = run("commit");
    if (out.find("commit complete") == std::string::npos)
        throw CommandError("device " + cli_.device() + " did not confirm 'commit': " + out);
    leave_config();
}

void JunosDriver::discard() {
    if (!in_config_) return;
    run("rollback 0");
    leave_config();
}

}  // namespace switchyard::devices
