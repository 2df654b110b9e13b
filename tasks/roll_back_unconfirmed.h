// roll_back_unconfirmed: the confirm timer of a device that has none of its
// own (frr), as a durable job (see roll_back_unconfirmed.cpp). Internal to
// tasks/ (registered by register_sync_tasks).
#pragma once

#include "devices/change_journal.h"
#include "job_context.h"
#include "sync_environment.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace switchyard::tasks {

inline constexpr const char* kConfirmTimerKind = "roll_back_unconfirmed";

// The timer job of the commit live sync `sync_job_id` has just applied on
// `hostname` (journal entry `change_id`), to run `timer` from now: the job
// the sync arms the entry with (devices::ChangeJournal::await_confirm_armed). Its
// idempotency key is "confirm-timer:<sync job>:<hostname>".
LaterJob confirm_timer_job(std::int64_t sync_job_id, const std::string& hostname, std::int64_t change_id,
                           std::chrono::seconds timer);

// A confirm the journal refused (ChangeJournal::claim_confirm false).
struct RefusedConfirm {
    // Still the caller's, only its deadline passed: the caller rolls the
    // device back itself (after ChangeJournal::disarm).
    bool late = false;
    std::string why;  // for the device's result: who has the change and what they do with it
};
RefusedConfirm refused_confirm(devices::ChangeJournal& journal, std::int64_t change_id, std::int64_t own_job_id);

// Registers the kind.
void register_confirm_timer_task(class TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
