#include "devices/junos_driver.h"

#include <algorithm>

#include "devices/errors.h"
#include "devices/text_lines.h"

namespace switchyard::devices {
namespace {

// "load complete" or "load complete (N errors)", possibly behind the
// echoed "^D": the device's own line, which no config line can be (those
// end in ';', '{' or '}').
bool is_load_result(std::string line) {
    if (line.rfind("^D", 0) == 0) line.erase(0, 2);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line == "load complete" || line.rfind("load complete (", 0) == 0;
}

}  // namespace

JunosDriver::JunosDriver(DeviceCli& cli, DriverOptions options)
    : cli_(cli), options_(std::move(options)), exit_question_(R"(\[yes,no\].*$)") {}

std::string JunosDriver::drop_context_lines(const std::string& out) {
    std::string kept;
    for (auto& line : text_lines(out)) {
        std::string t = line;
        // "{master:0}", "{backup}", "{primary:node0}", also glued to "[edit]"
        // (Netmiko juniper.py strip_context_items; scrapli juniper_junos.yaml).
        if (t.size() > 1 && t[0] == '{') {
            auto close = t.find('}');
            if (close != std::string::npos) t.erase(0, close + 1);
            if (t.empty()) continue;
        }
        if (t == "[edit]") continue;  // the banner before a prompt; "[edit system]" heads a diff
        if (t.rfind("# commit confirmed will be rolled back", 0) == 0) continue;
        kept += line + "\n";
    }
    return kept;
}

void JunosDriver::open_shell() {
    if (shell_ready_) return;
    shell_ready_ = true;
    // A root login lands in the FreeBSD shell (`root@host% `): Netmiko
    // juniper.py enter_cli_mode and Ansible junipernetworks.junos
    // terminal/junos.py on_open_shell send `cli`.
    std::string p = cli_.prompt();
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (!p.empty() && p.back() != '>') {
        cli_.shell_raw("cli\n", {});
        std::string q = cli_.prompt();
        while (!q.empty() && q.back() == ' ') q.pop_back();
        if (q.empty() || q.back() != '>')
            throw DeviceError("device " + cli_.device() + ": 'cli' did not start the JunOS CLI (prompt '" + q + "')");
    }
    cli_.shell("set cli screen-length 0");
    cli_.shell("set cli screen-width 0");
}

std::string JunosDriver::run(const std::string& line) {
    open_shell();
    std::string out = cli_.shell(line);
    check_output(Platform::junos, cli_.device(), line, out);
    return out;
}

std::string JunosDriver::run_commit(const std::string& line, const std::optional<PendingCommit>& pending) {
    open_shell();
    std::string out;
    try {
        out = cli_.shell(line, options_.commit_timeout);
    } catch (const TimeoutError&) {
        // The commit may still complete: the shell is busy with it, so we
        // leave it alone and hand back what a later confirm or rollback needs.
        in_config_ = false;
        throw CommitTimeoutError("device " + cli_.device() + ": no answer to '" + line + "' within " +
                                     std::to_string(options_.commit_timeout.count() / 1000) +
                                     " s; the commit may still complete" +
                                     (pending ? " and then rolls back unless confirmed" : ""),
                                 pending);
    }
    check_output(Platform::junos, cli_.device(), line, out);
    if (out.find("commit complete") == std::string::npos)
        throw CommandError("device " + cli_.device() + " did not confirm '" + line + "': " + out);
    return out;
}

void JunosDriver::enter_config() {
    if (in_config_) return;
    // Exclusive, as NAPALM's junos driver locks by default: `commit
    // confirmed` is refused in `configure private` ("error: commit confirmed
    // not supported for private configuration", py-junos-eznc #954).
    open_shell();
    std::string out = cli_.shell("configure exclusive");
    if (auto bad = error_line(Platform::junos, out)) {
        std::string why = *bad == "unknown command." ? " (the login class lacks the configure permission)" : "";
        throw CommandError("device " + cli_.device() + " rejected 'configure exclusive': " + *bad + why);
    }
    std::string p = cli_.prompt();
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (p.empty() || p.back() != '#')
        throw CommandError("device " + cli_.device() + ": 'configure exclusive' did not enter configuration mode");
    in_config_ = true;
}

void JunosDriver::leave_config() {
    if (!in_config_) return;
    in_config_ = false;
    // Exclusive mode asks "Discard uncommitted changes? [yes,no] (yes)";
    // Netmiko juniper.py exit_config_mode answers yes.
    cli_.shell_raw("exit configuration-mode\n", {&exit_question_});
    if (cli_.matched() == 1) cli_.shell_raw("yes\n", {});
}

std::string JunosDriver::running_config() {
    // JunOS runs operational commands on exec channels too, unpaged; this
    // also works while the shell sits in configuration mode. A root login's
    // exec channel is the shell: "show: Command not found." (status 1).
    const std::string cli_command = "cli -c \"show configuration\"";
    auto r = cli_.exec(exec_via_cli_ ? cli_command : "show configuration");
    if (r.exit_status != 0 && !exec_via_cli_ && r.output.find("Command not found") != std::string::npos) {
        exec_via_cli_ = true;
        r = cli_.exec(cli_command);
    }
    std::string first;
    for (auto& l : text_lines(r.output))
        if (l.find_first_not_of(' ') != std::string::npos) {
            first = l;
            break;
        }
    if (r.exit_status != 0 || error_line(Platform::junos, first))
        throw CommandError("device " + cli_.device() + " rejected 'show configuration' (exit status " +
                           std::to_string(r.exit_status) + "): " + first);
    return r.output;
}

std::string JunosDriver::load(const std::string& text) {
    // No prompt comes back until Ctrl-D ends the input, so the command, the
    // config and Ctrl-D go in one write. The result line may come after a
    // read that stopped early; read on until it is there.
    std::string out = cli_.shell_raw("load override terminal\n" + text + "\x04", {});
    for (int more = 0; more < 3; ++more) {
        auto lines = text_lines(out);
        if (std::any_of(lines.begin(), lines.end(), is_load_result)) return out;
        out += cli_.shell_raw("", {});
    }
    throw CommandError("device " + cli_.device() + " did not confirm 'load override terminal'");
}

void JunosDriver::stage(const std::string& config, std::optional<std::string> running) {
    check_typeable(cli_.device(), config);
    previous_ = running ? std::move(*running) : running_config();
    enter_config();
    std::string text = config;
    if (!text.empty() && text.back() != '\n') text += '\n';
    try {
        std::string out = load(text);
        // Errors: "terminal:4:(18) syntax error: metric" ... "load complete (1 errors)".
        std::string echo_free;
        bool past_input = false;
        for (auto& l : text_lines(out)) {
            if (!past_input && (l.rfind("^D", 0) == 0 || is_load_result(l))) past_input = true;
            if (past_input) echo_free += l + "\n";
        }
        check_output(Platform::junos, cli_.device(), "load override terminal", past_input ? echo_free : out);
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
    std::string out = drop_context_lines(run("show | compare"));
    return out.find_first_not_of(" \n") == std::string::npos ? "" : out;
}

void JunosDriver::commit() {
    if (!in_config_) throw std::logic_error("junos: commit without a loaded candidate");
    run("commit check");
    run_commit("commit", std::nullopt);
    leave_config();
}

PendingCommit JunosDriver::commit_confirmed(std::chrono::seconds timer) {
    if (!in_config_) throw std::logic_error("junos: commit without a loaded candidate");
    // JunOS counts in whole minutes: round up so the window is never shorter.
    long minutes = std::max<long>(1, (static_cast<long>(timer.count()) + 59) / 60);
    PendingCommit pending{"", previous_, std::chrono::seconds(minutes * 60), true};
    run("commit check");
    run_commit("commit confirmed " + std::to_string(minutes), pending);
    leave_config();
    return pending;
}

void JunosDriver::confirm(const PendingCommit&) {
    // In exclusive mode: a private copy may refuse to commit (the shared
    // database holds another user's uncommitted changes) or commit nothing.
    // With nothing to commit, `commit` confirms (NAPALM junos.py
    // confirm_commit); with another user's changes in the shared candidate,
    // `commit check` confirms without committing them.
    enter_config();
    std::string diff = drop_context_lines(run("show | compare"));
    if (diff.find_first_not_of(" \n") == std::string::npos) run_commit("commit", std::nullopt);
    else run("commit check");
    leave_config();
}

void JunosDriver::discard() {
    if (!in_config_) return;
    run("rollback 0");
    leave_config();
}

}  // namespace switchyard::devices
