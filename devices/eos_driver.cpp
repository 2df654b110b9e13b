#include "devices/eos_driver.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "devices/errors.h"

namespace switchyard::devices {
namespace {

std::string hhmmss(std::chrono::seconds s) {
    long t = std::max<long>(1, static_cast<long>(s.count()));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    return buf;
}

bool is_comment_or_end(const std::string& line) {
    auto first = line.find_first_not_of(' ');
    if (first == std::string::npos) return true;
    return line[first] == '!' || line.compare(first, std::string::npos, "end") == 0;
}

}  // namespace

std::string EosDriver::new_session_name() {
    static thread_local std::mt19937 rng(std::random_device{}());
    char buf[16];
    std::snprintf(buf, sizeof buf, "sy%06x", static_cast<unsigned>(rng() & 0xffffff));
    return buf;
}

std::string EosDriver::run(const std::string& line) {
    if (!shell_ready_) {
        shell_ready_ = true;
        // Unprivileged (`HOST>`) logins need `enable` before anything else.
        std::string p = cli_.prompt();
        while (!p.empty() && p.back() == ' ') p.pop_back();
        if (!p.empty() && p.back() == '>') {
            std::string out = cli_.shell("enable");
            check_output(Platform::eos, cli_.device(), "enable", out);
        }
        cli_.shell("terminal length 0");
    }
    std::string out = cli_.shell(line);
    check_output(Platform::eos, cli_.device(), line, out);
    return out;
}

void EosDriver::require_session(const char* what) const {
    if (session_.empty()) throw std::logic_error(std::string("eos: ") + what + " without a loaded candidate");
}

std::string EosDriver::running_config() {
    std::string out = cli_.exec("show running-config");
    check_output(Platform::eos, cli_.device(), "show running-config", out);
    return out;
}

void EosDriver::load_candidate(const std::string& config) {
    previous_ = running_config();
    session_ = new_session_name();
    run("configure session " + session_);
    try {
        run("rollback clean-config");
        std::size_t start = 0;
        while (start < config.size()) {
            auto nl = config.find('\n', start);
            if (nl == std::string::npos) nl = config.size();
            std::string line = config.substr(start, nl - start);
            start = nl + 1;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (!is_comment_or_end(line)) run(line);
        }
    } catch (const CommandError&) {
        // Leave no half-typed session behind.
        try {
            cli_.shell("abort");
        } catch (const std::exception&) {
        }
        session_.clear();
        throw;
    }
}

std::string EosDriver::candidate_diff() {
    require_session("diff");
    std::string out = run("show session-config diffs");
    // Only headers and no +/- line means no change.
    bool changes = false;
    std::size_t start = 0;
    while (start < out.size()) {
        auto nl = out.find('\n', start);
        if (nl == std::string::npos) nl = out.size();
        std::string_view line(out.data() + start, nl - start);
        start = nl + 1;
        if ((line.rfind("+", 0) == 0 && line.rfind("+++", 0) != 0) ||
            (line.rfind("-", 0) == 0 && line.rfind("---", 0) != 0))
            changes = true;
    }
    return changes ? out : "";
}

void EosDriver::commit() {
    require_session("commit");
    run("commit");
    session_.clear();
    run("write memory");
}

PendingCommit EosDriver::commit_confirmed(std::chrono::seconds timer) {
    require_session("commit");
    run("commit timer " + hhmmss(timer));
    PendingCommit pending{session_, previous_, timer, true};
    session_.clear();
    return pending;
}

void EosDriver::confirm(const PendingCommit& pending) {
    run("configure session " + pending.session + " commit");
    run("write memory");
}

void EosDriver::discard() {
    if (session_.empty()) return;
    run("abort");
    session_.clear();
}

}  // namespace switchyard::devices
