#include "devices/eos_driver.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "devices/config_compare.h"
#include "devices/eos_delta.h"
#include "devices/errors.h"
#include "devices/normalize.h"
#include "devices/text_lines.h"

namespace switchyard::devices {
namespace {

std::string hhmmss(std::chrono::seconds s) {
    long t = std::max<long>(1, static_cast<long>(s.count()));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    return buf;
}

// One thing to type: a config line, or a heredoc command with its text.
struct Item {
    std::string text;
    bool heredoc = false;
    std::size_t line = 0;  // where it starts in the config, from 1
};

std::vector<Item> config_items(const std::string& device, const std::string& config) {
    const std::vector<std::string> lines = text_lines(config);
    std::vector<Item> items;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string t = trim_blanks(lines[i]);
        if (t.empty() || t == "end") continue;
        // "!" lines are comments; "!!" lines are mode comments, configuration
        // (NAPALM eos.py _load_config keeps them).
        if (t[0] == '!' && t.rfind("!!", 0) != 0) continue;
        int blocks = eos_heredoc_blocks(t);
        if (blocks == 0) {
            items.push_back({lines[i], false, i + 1});
            continue;
        }
        const std::size_t first = i + 1;
        // The text lines go verbatim, "!" and "end" included: they are text.
        std::string text = lines[i] + "\n";
        while (blocks > 0 && ++i < lines.size()) {
            text += lines[i] + "\n";
            if (lines[i] == "EOF") --blocks;
        }
        if (blocks > 0)
            throw CommandError("device " + device + ": '" + t +
                               "' has no closing EOF line in the config; nothing was sent");
        items.push_back({text, true, first});
    }
    return items;
}

}  // namespace

EosSessionState parse_eos_sessions(const std::string& json_text) {
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (!j.is_object() || !j.contains("sessions") || !j["sessions"].is_object())
        throw std::invalid_argument("not the JSON of 'show configuration sessions detail'");
    EosSessionState s;
    // EOS 4.32 and later: the session with a running commit timer is
    // "committed" and named by these top-level keys (napalm#2166).
    if (j.contains("commitTimerSessionName") && j["commitTimerSessionName"].is_string() &&
        !j["commitTimerSessionName"].get<std::string>().empty())
        s.timer_session = j["commitTimerSessionName"].get<std::string>();
    for (auto& [name, session] : j["sessions"].items()) {
        std::string state = session.is_object() ? session.value("state", "") : "";
        if (state == "pending") s.pending.push_back(name);
        // Before 4.32 (NAPALM eos.py _get_pending_commits).
        else if (state == "pendingCommitTimer" && !s.timer_session) s.timer_session = name;
    }
    return s;
}

std::string EosDriver::new_session_name() {
    static thread_local std::mt19937 rng(std::random_device{}());
    char buf[16];
    std::snprintf(buf, sizeof buf, "sy%06x", static_cast<unsigned>(rng() & 0xffffff));
    return buf;
}

bool EosDriver::is_our_session_name(const std::string& name) {
    return name.size() == 8 && name.rfind("sy", 0) == 0 &&
           name.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
}

void EosDriver::enable() {
    // scrapli arista_eos.yaml: `enable` may answer "Password:"; Netmiko
    // arista.py enable(pattern="ssword").
    static const Pattern password(R"([Pp]assword: ?$)");
    std::string out = cli_.shell_raw("enable\n", {&password});
    if (cli_.matched() == 1) {
        if (options_.enable_secret.empty())
            throw AuthError("device " + cli_.device() +
                            ": 'enable' asks for a password and no enable secret is configured");
        // The secret is typed, never echoed back into a message.
        out = cli_.shell_raw(options_.enable_secret + "\n", {&password});
        if (cli_.matched() == 1 || error_line(Platform::eos, out))
            throw AuthError("device " + cli_.device() + ": the enable secret was refused");
    } else {
        check_output(Platform::eos, cli_.device(), "enable", out);
    }
    std::string p = cli_.prompt();
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (p.empty() || p.back() != '#')
        throw AuthError("device " + cli_.device() + ": 'enable' did not reach privileged mode (prompt '" + p + "')");
}

void EosDriver::open_shell() {
    if (shell_ready_) return;
    shell_ready_ = true;
    // Logins below privilege 15 (`HOST>`) need `enable` before anything else.
    std::string p = cli_.prompt();
    while (!p.empty() && p.back() == ' ') p.pop_back();
    if (!p.empty() && p.back() == '>') enable();
    // One round trip for both (typed ahead, docs/device-cli.md "Common"):
    // neither changes the config, and each only shapes the output after it.
    cli_.shell_typed_ahead({"terminal length 0", "terminal width 32767"});
}

std::string EosDriver::run(const std::string& line) {
    open_shell();
    std::string out = cli_.shell(line);
    check_output(Platform::eos, cli_.device(), line, out);
    return out;
}

void EosDriver::require_session(const char* what) const {
    if (session_.empty()) throw std::logic_error(std::string("eos: ") + what + " without a loaded candidate");
}

std::string EosDriver::running_config() {
    // The exec channel runs at the login's privilege; below 15 it is refused
    // ("% Invalid input (privileged mode required)"), then the shell after
    // `enable` reads it. Only the first line can be an error: a config may
    // hold any text ("% Authorized use only" in a banner).
    auto r = cli_.exec("show running-config");
    std::string first = r.output.substr(0, r.output.find('\n'));
    if (r.exit_status == 0 && !error_line(Platform::eos, first)) return r.output;
    return run("show running-config");
}

EosSessionState EosDriver::session_state() {
    std::string out = run("show configuration sessions detail | json");
    try {
        return parse_eos_sessions(out);
    } catch (const std::exception&) {
        throw CommandError("device " + cli_.device() + ": could not read 'show configuration sessions detail | json'");
    }
}

void EosDriver::abort_stale_sessions() {
    // A session of ours left pending by a dropped connection or a timeout
    // would count against the device's limit of five for 24 hours
    // (ansible-modules-core#4945, napalm#1921). Never one with a running
    // commit timer: aborting it rolls the device back.
    auto state = session_state();
    for (auto& name : state.pending)
        if (is_our_session_name(name) && name != state.timer_session) run("configure session " + name + " abort");
}

void EosDriver::abort_session() noexcept {
    if (session_.empty()) return;
    std::string name = std::move(session_);
    session_.clear();
    try {
        cli_.shell("end");
        cli_.shell("configure session " + name + " abort");
    } catch (const std::exception&) {
        // The connection is gone: the next load_candidate() aborts it.
    }
}

// Config lines are typed ahead in bounded chunks, one round trip each (as
// Netmiko's send_config_set(cmd_verify=False) sends them; NAPALM's eAPI
// transport sends the whole session in one request): EOS reads typed-ahead
// lines one at a time and prints an error right after the line it rejects
// (docs/device-cli.md, "eos"). The first rejected line fails the load; the
// caller then aborts the session.
void EosDriver::type_config(const std::string& config) {
    const auto items = config_items(cli_.device(), config);
    std::vector<const Item*> chunk;
    std::size_t bytes = 0;
    auto flush = [&] {
        if (chunk.empty()) return;
        std::vector<std::string> lines;
        for (const Item* item : chunk) lines.push_back(item->text);
        auto outputs = cli_.shell_typed_ahead(lines);
        RejectedLines rejected;
        for (std::size_t k = 0; k < outputs.size() && k < chunk.size(); ++k)
            if (auto bad = error_line(Platform::eos, outputs[k]))
                rejected.add(chunk[k]->text, "line " + std::to_string(chunk[k]->line) + " of the config", *bad);
        rejected.throw_if_any(cli_.device());
        chunk.clear();
        bytes = 0;
    };
    for (const auto& item : items) {
        if (item.heredoc) {
            flush();
            // No prompt comes back until the last EOF line, so the command
            // and its text go in one write.
            std::string out = cli_.shell_raw(item.text, {});
            check_output(Platform::eos, cli_.device(), item.text.substr(0, item.text.find('\n')), out);
            continue;
        }
        if (chunk.size() == defaults::kTypeAheadLines || bytes + item.text.size() + 1 > defaults::kTypeAheadBytes)
            flush();
        chunk.push_back(&item);
        bytes += item.text.size() + 1;
    }
    flush();
}

void EosDriver::stage(const std::string& config, std::optional<std::string> running) {
    check_typeable(cli_.device(), config);
    config_items(cli_.device(), config);  // an unterminated heredoc fails before anything is typed
    previous_ = running ? std::move(*running) : running_config();
    abort_stale_sessions();
    open_session();
    if (type_delta(config)) return;
    // The delta was refused or did not give the intended config: the whole
    // config into a fresh session, as before.
    abort_session();
    open_session();
    try {
        run("rollback clean-config");
        type_config(config);
    } catch (...) {
        abort_session();  // leave no half-typed session behind
        throw;
    }
}

void EosDriver::open_session() {
    std::string name = new_session_name();
    run("configure session " + name);
    session_ = name;
}

// Only the lines that differ (devices/eos_delta.h), then the session's config
// read back: true when it is the intended one. A line the device rejects is
// no failure here, only a reason to fall back; a lost connection is one.
bool EosDriver::type_delta(const std::string& config) {
    auto delta = eos_config_delta(previous_, config);
    if (!delta) return false;
    try {
        check_typeable(cli_.device(), *delta);
        type_config(*delta);
        return config_matches(Platform::eos, run("show session-config"), config);
    } catch (const CommandError&) {
        return false;
    } catch (...) {
        abort_session();
        throw;
    }
}

std::string EosDriver::candidate_diff() {
    require_session("diff");
    std::string out = run("show session-config diffs");
    // Only headers and no +/- line means no change.
    const auto lines = line_views(out);
    const bool changes = std::any_of(lines.begin(), lines.end(), [](std::string_view line) {
        return (line.starts_with('+') && !line.starts_with("+++")) ||
               (line.starts_with('-') && !line.starts_with("---"));
    });
    return changes ? out : "";
}

std::string EosDriver::run_commit(const std::string& line, const std::optional<PendingCommit>& pending) {
    std::string out;
    try {
        out = cli_.shell(line, options_.commit_timeout);
    } catch (const TimeoutError&) {
        // The device may still commit: the session is not aborted (it may
        // be the one whose timer runs), and a pending commit is handed back.
        std::string name = std::move(session_);
        session_.clear();
        throw CommitTimeoutError("device " + cli_.device() + ": no answer to '" + line + "' within " +
                                     std::to_string(options_.commit_timeout.count() / 1000) + " s; session " + name +
                                     (pending ? " may still commit: its timer rolls it back unless confirmed"
                                              : " may still commit: read the running config to know"),
                                 pending);
    } catch (...) {
        abort_session();  // a dropped connection: the next load aborts it
        throw;
    }
    try {
        check_output(Platform::eos, cli_.device(), line, out);
    } catch (...) {
        abort_session();  // "% Cannot commit ...": the session would stay pending for a day
        throw;
    }
    return out;
}

void EosDriver::commit() {
    require_session("commit");
    run_commit("commit", std::nullopt);
    session_.clear();
    run("write memory");
}

PendingCommit EosDriver::commit_confirmed(std::chrono::seconds timer) {
    require_session("commit");
    // One commit timer at a time (NAPALM eos.py commit_config: "Pending
    // commit confirm already in process!"): a second would replace the
    // first one's way back.
    std::optional<std::string> running_timer;
    try {
        running_timer = session_state().timer_session;
    } catch (...) {
        abort_session();
        throw;
    }
    if (running_timer) {
        abort_session();
        throw CommandError("device " + cli_.device() + ": a commit timer is already running (session " +
                           *running_timer + "); not starting a second one, nothing was committed");
    }
    PendingCommit pending{session_, previous_, timer, true};
    run_commit("commit timer " + hhmmss(timer), pending);
    session_.clear();
    return pending;
}

void EosDriver::confirm(const PendingCommit& pending) {
    // Confirm only a timer that still runs: after it ran out the device has
    // rolled back, and `commit` of that name would say nothing useful.
    auto state = session_state();
    if (state.timer_session != pending.session)
        throw CommandError("device " + cli_.device() + ": no commit timer runs for session " + pending.session +
                           " (it ran out and the device rolled back, or it was confirmed already)");
    run("configure session " + pending.session + " commit");
    run("write memory");
}

void EosDriver::rollback(const PendingCommit& pending) {
    if (!pending.session.empty() && session_state().timer_session == pending.session) {
        // NAPALM eos.py rollback: abort the session whose timer runs.
        run("configure session " + pending.session + " abort");
        run("write memory");
        return;
    }
    Driver::rollback(pending);
}

void EosDriver::discard() { abort_session(); }

}  // namespace switchyard::devices
