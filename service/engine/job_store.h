// Jobs as operators and the API see them: enqueue, read, abort.
// (Claiming and finalising belong to the engine: queue_runner.h, completer.h.)
#pragma once

#include "job_status.h"
#include "settings.h"
#include "tasks/task_registry.h"

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace switchyard::engine {

struct EnqueueRequest {
    std::string function_name;
    nlohmann::json args = nlohmann::json::object();
    std::string queue;         // empty: the kind's queue
    int priority = 0;          // 0: the default; 1 runs first ... 10 last
    double delay_seconds = 0;  // scheduled_time = now + delay
    // scheduled_time itself (set: delay_seconds is not used); a time past runs now.
    std::optional<std::chrono::system_clock::time_point> run_at;
    std::optional<int> max_attempts;  // empty: the kind's default
    std::optional<int> timeout_seconds;
    std::string idempotency_key;  // empty: none
    std::string scheduled_by;
    std::string comment;
    std::string ticket_ref;
    std::optional<std::int64_t> retry_of;  // the ended job this one runs again
};

struct EnqueueResult {
    std::int64_t id;
    bool existing;  // the idempotency key was taken: this is the earlier job
};

// Validates the request against the registry and settings (unknown kind,
// priority, attempts, timeout, queue not served, arguments the kind refuses:
// std::invalid_argument with a message for the operator) and inserts the job.
EnqueueResult enqueue(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                      const EnqueueRequest& request);

// Checks `args` as the kind `function_name` will read them (its defaults
// filled in); std::invalid_argument saying what is wrong, naming a value the
// server's settings chose. enqueue runs it for every job; a route may run it
// first, to answer before work of its own (selecting devices).
void check_job_arguments(const tasks::TaskRegistry& registry, const std::string& function_name,
                         const nlohmann::json& args);

// The job holding an idempotency key; nullopt when no job does.
std::optional<std::int64_t> find_job_by_key(pqxx::transaction_base& tx, const std::string& key);

// Many jobs of one kind in one statement (benchmarks, bulk tools).
std::vector<std::int64_t> enqueue_many(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry,
                                       const Settings& settings, const std::string& function_name,
                                       const std::vector<nlohmann::json>& args_list);

// How long a job of `kind`, stored under `function_name` (a shown name is
// estimated apart: a dry run is not a live run) with these arguments, is
// expected to run, from the last finished jobs under that name (per device
// when the kind counts the devices its arguments name); nullopt with fewer
// than defaults::kEstimateMinSamples of them.
std::optional<double> estimate_duration(pqxx::transaction_base& tx, const tasks::TaskKind& kind,
                                        const std::string& function_name, const nlohmann::json& args);

// The job as JSON with the API's field names; nullopt when there is none.
std::optional<nlohmann::json> get_job(pqxx::transaction_base& tx, std::int64_t id);

struct AbortOutcome {
    bool found = false;
    JobStatus before = JobStatus::scheduled;
    JobStatus after = JobStatus::scheduled;  // unchanged when the job had ended
    int attempt = 0;
    std::string scheduled_by;
};

// SCHEDULED -> ABORTED at once; RUNNING -> ABORTING (the task stops at its
// next abort check); other states are left alone (after == before). A job
// ended ABORTED here may leave work a recovery must take over (a confirm
// timer's unconfirmed commit): the caller schedules it in `tx`
// (engine::schedule_recoveries), as the completer does for a running job.
AbortOutcome abort_job(pqxx::transaction_base& tx, std::int64_t id, const std::string& reason, const std::string& by);

struct RetryOutcome {
    enum class Refused { no, not_found, not_ended, retried_already };
    Refused refused = Refused::no;
    JobStatus status = JobStatus::scheduled;  // the ended job's
    std::int64_t retry_id = 0;                // the new job, or the earlier retry (retried_already)
};

// A new job with the ended job's kind, arguments, queue, priority, attempts
// and timeout, linked both ways (its retry_of, the old job's retried_by). A
// job is retried once: a second retry is refused naming the first (retry
// that one instead), so a repeated request makes no second job.
// std::invalid_argument when the kind or its queue is no longer served.
RetryOutcome retry_job(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                       std::int64_t id, const std::string& by);

}  // namespace switchyard::engine
