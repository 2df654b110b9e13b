// What confirm() or rollback() of a driver need after a commit with a
// confirm timer, possibly in another job or process: callers keep it (e.g. in
// the job's result) as JSON until then.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::devices {

struct PendingCommit {
    std::string session;          // eos: the configure session to confirm
    std::string previous_config;  // the running config before the commit
    std::chrono::seconds timer{0};
    // frr has no device-side timer: the caller must call rollback() when the
    // timer runs out unconfirmed. eos and junos roll back on their own.
    bool device_enforces_timer = true;

    bool operator==(const PendingCommit&) const = default;
};

// {"session", "previous_config", "timer_seconds", "device_enforces_timer"}
void to_json(nlohmann::json& j, const PendingCommit& p);
// Throws nlohmann::json::exception on a document of another shape.
void from_json(const nlohmann::json& j, PendingCommit& p);

}  // namespace switchyard::devices
