#include "eos_sessions.h"

#include <nlohmann/json.hpp>

#include "cli_traits.h"

namespace sim {

namespace {

const std::chrono::steady_clock::time_point kBoot = std::chrono::steady_clock::now();

double uptime_at(std::chrono::steady_clock::time_point t) { return std::chrono::duration<double>(t - kBoot).count(); }

}  // namespace

std::string eos_version_of(const Device& dev) {
    const auto& v = dev.spec().cli.os_version;
    return v.empty() ? kEosDefaultVersion : v;
}

void expire_eos_sessions_locked(Device& dev) {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(dev.eos_sessions, [&](const auto& kv) { return now - kv.second.created > kEosSessionLifetime; });
}

std::string eos_sessions_json_locked(const Device& dev) {
    const bool new_format = eos_version_at_least_4_32(eos_version_of(dev));
    nlohmann::json sessions = nlohmann::json::object();
    for (const auto& [name, s] : dev.eos_sessions)
        sessions[name] = {{"state", "pending"},
                          {"completedTime", 0},
                          {"commitUser", ""},
                          {"description", ""},
                          {"instances", nlohmann::json::object()}};
    nlohmann::json out = {{"sessions", sessions},
                          {"maxSavedSessions", 1},
                          {"maxOpenSessions", kEosMaxPendingSessions},
                          {"mergeOnCommit", false},
                          {"saveToStartupConfigOnCommit", false}};
    if (dev.pending && !dev.pending->session.empty()) {
        const double commit_by = uptime_at(dev.pending->deadline);
        nlohmann::json s = {{"completedTime", uptime_at(std::chrono::steady_clock::now())},
                            {"commitUser", dev.last_commit_user},
                            {"description", ""},
                            {"instances", nlohmann::json::object()}};
        if (new_format) {
            s["state"] = "committed";
            out["commitTimerSessionName"] = dev.pending->session;
            out["commitTimerExpireTime"] = commit_by;
        } else {
            s["state"] = "pendingCommitTimer";
            s["commitBy"] = commit_by;
        }
        out["sessions"][dev.pending->session] = s;
    }
    return out.dump(4) + "\n";
}

std::string eos_sessions_text_locked(const Device& dev) {
    std::string out = "Maximum number of completed sessions: 1\nMaximum number of pending sessions: " +
                      std::to_string(kEosMaxPendingSessions) +
                      "\n\n  Name       State        User    Terminal\n  ---------- ------------ ------- --------\n";
    for (const auto& [name, s] : dev.eos_sessions) out += "  " + name + "    pending      " + s.user + "\n";
    if (dev.pending && !dev.pending->session.empty()) out += "  " + dev.pending->session + "    pendingCommitTimer\n";
    return out;
}

std::string eos_version_text(const Device& dev) {
    std::lock_guard lk(dev.mu);
    return "Arista vEOS-lab\nHardware version:\nSoftware image version: " + eos_version_of(dev) +
           "\nArchitecture: x86_64\nUptime: " +
           std::to_string(static_cast<long>(uptime_at(std::chrono::steady_clock::now()))) + " seconds\n";
}

std::string eos_version_json(const Device& dev) {
    std::lock_guard lk(dev.mu);
    nlohmann::json j = {{"modelName", "vEOS-lab"},
                        {"version", eos_version_of(dev)},
                        {"uptime", uptime_at(std::chrono::steady_clock::now())}};
    return j.dump(4) + "\n";
}

}  // namespace sim
