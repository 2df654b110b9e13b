// EOS configuration-session bookkeeping shared by the eos personality: the
// limits, expiry, and what `show configuration sessions [detail] [| json]`
// and `show version` print, in the format of the device's EOS version.
#pragma once

#include <chrono>
#include <string>

#include "device.h"

namespace sim {

inline constexpr size_t kEosMaxPendingSessions = 5;           // maxOpenSessions (napalm#2166)
inline constexpr std::chrono::hours kEosSessionLifetime{24};  // napalm#1921
inline constexpr const char* kEosDefaultVersion = "4.30.1F";

// The device's EOS version. Caller holds dev.mu.
std::string eos_version_of(const Device& dev);
// Drops pending sessions older than kEosSessionLifetime. Caller holds dev.mu.
void expire_eos_sessions_locked(Device& dev);
// `show configuration sessions detail | json`: before EOS 4.32 a session
// with a running commit timer has state "pendingCommitTimer" and "commitBy";
// from 4.32 its state is "committed" and the timer is in the top-level keys
// "commitTimerSessionName" / "commitTimerExpireTime" (napalm#2166, NAPALM
// eos.py _get_pending_commits). Caller holds dev.mu.
std::string eos_sessions_json_locked(const Device& dev);
std::string eos_sessions_text_locked(const Device& dev);
// `show version` and `show version | json` ("uptime" is what commitBy counts from).
std::string eos_version_text(const Device& dev);
std::string eos_version_json(const Device& dev);

}  // namespace sim
