// The task registry: what the owners of job kinds plug into the engine. Job
// kinds by function name, and the maintenance hooks the elected leader runs
// (so the engine itself knows nothing of devices, configs or journals).
#pragma once

#include "job_context.h"

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/connection>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

namespace switchyard::tasks {

// A name jobs of a kind carry when their arguments hold `implied_args`:
// CNaaS-NMS calls a dry-run sync "sync_devices (dry_run)". What the job does
// is decided by its arguments only; the name is how it is shown, filtered and
// counted. A job enqueued under that name gets those arguments, whatever it
// passed (a client that asks for "sync_devices (dry_run)" gets a dry run).
struct ShownName {
    std::string name;
    nlohmann::json implied_args = nlohmann::json::object();
    bool retry_safe = false;
    int default_max_attempts = 1;
    // The job type catalogue (GET /job_types) shows these for this name.
    std::string description{};
    std::vector<std::string> locks{};
};

// Retry safety that follows a job's arguments, its name unchanged:
// apply_config's dry run only reads, as a sync's does, but CNaaS-NMS shows
// it under no other name. The first whose implied_args match wins.
struct RetryByArgs {
    nlohmann::json implied_args = nlohmann::json::object();
    bool retry_safe = false;
    int default_max_attempts = 1;
};

struct TaskKind {
    std::string function_name;
    std::function<void(JobContext&)> run;
    // True when running the kind again after its worker died part-way is safe
    // (it is idempotent). The rescuer retries such jobs; others end EXCEPTION.
    bool retry_safe = false;
    // Attempts when the enqueuer does not say.
    int default_max_attempts = 1;
    std::string queue = "default";
    // Arguments a job gets when its enqueuer leaves them out.
    nlohmann::json default_args = nlohmann::json::object();
    // Arguments whose defaults are settings (sync_devices' confirm_mode:
    // sync.default_confirm_mode), asked each time a job is resolved and
    // filled in like default_args: a job's stored arguments hold the value
    // it runs with, whoever enqueued it (the API, a schedule, a next job).
    std::function<nlohmann::json()> configured_default_args{};
    // Other names, by arguments; the first whose implied_args match wins.
    std::vector<ShownName> shown_as = {};
    // For jobs no shown name covers.
    std::vector<RetryByArgs> retry_by_args = {};

    // The job type catalogue (GET /job_types) shows these.
    std::string description{};
    // Its arguments as a JSON schema (documentation: each kind checks its
    // own arguments when it runs).
    nlohmann::json arguments_schema = {{"type", "object"}};
    // Checks a job's arguments as the kind reads them (defaults and what its
    // name implies filled in); throws std::invalid_argument saying what is
    // wrong. A schedule is checked with it when it is written, so a bad one
    // is refused then instead of failing at every tick. Empty: the kind
    // checks them only when it runs.
    std::function<void(const nlohmann::json& args)> check_arguments{};
    // Set for a kind whose jobs can pause between steps (a rollout between
    // its batches) and so be suspended and resumed (PUT /job/<id> SUSPEND,
    // RESUME): given a job's arguments, empty when that job can, else why not
    // (for the operator). Empty: no job of the kind can.
    std::function<std::string(const nlohmann::json& args)> why_not_pausable{};
    // The locks it takes, in words ("devices (live runs only)").
    std::vector<std::string> locks{};
    // Seconds before a job of this kind times out when the enqueuer does not
    // say; empty: the duration estimate x factor, else jobs.default_timeout_seconds.
    std::optional<int> default_timeout_seconds{};
    // Set for a device job: how many devices its arguments name (nullopt
    // when they select by type, group or all, known only when it runs). Its
    // duration is estimated per device.
    std::function<std::optional<std::size_t>(const nlohmann::json& args)> device_count{};
};

// A job as the registry sees it: its kind, the name it is stored and shown
// under, its arguments (defaults and what its name implies filled in) and
// the retry rules of that name.
struct ResolvedJob {
    const TaskKind* kind = nullptr;
    std::string function_name;
    nlohmann::json args;
    bool retry_safe = false;
    int default_max_attempts = 1;
};

// Work the maintenance leader does for an owner, every `every_rounds` rounds
// (a round is jobs.maintenance_interval_ms), on the leader's connection.
// A hook that throws is logged; the others still run.
struct MaintenanceHook {
    std::string name;
    int every_rounds = 1;
    std::function<void(pqxx::connection&)> run;
};

// A job that ended abnormally (an exception, an abort, a timeout, its worker
// lost) may have left work half done that another job must finish: a device
// change (tasks/recover_devices.cpp). In the transaction that ends the job,
// the engine asks each recovery hook; a follow-up it returns is inserted in
// that same transaction, linked as the job's next_job_id, named in its result
// ("recovery_job_id"), and handed the job's locks.
struct EndedAbnormally {
    std::int64_t id = 0;
    int attempt = 0;
};
struct RecoveryJob {
    std::string function_name;
    nlohmann::json args;
};
struct RecoveryHook {
    std::string name;
    std::function<std::optional<RecoveryJob>(pqxx::transaction_base& tx, const EndedAbnormally& job)> recovery;
};

class TaskRegistry {
public:
    // Throws std::invalid_argument when a name (or shown name) is taken or empty.
    void add(TaskKind kind);
    // The kind a function name (or shown name) belongs to; nullptr when unknown.
    const TaskKind* find(const std::string& function_name) const;
    // nullopt when the name is unknown. Throws std::invalid_argument when
    // `args` is not a JSON object.
    std::optional<ResolvedJob> resolve(const std::string& function_name, nlohmann::json args) const;
    // Kind names, then shown names, sorted.
    std::vector<std::string> names() const;

    void add_maintenance(MaintenanceHook hook);
    const std::vector<MaintenanceHook>& maintenance_hooks() const { return maintenance_; }

    void add_recovery(RecoveryHook hook);
    const std::vector<RecoveryHook>& recovery_hooks() const { return recovery_; }

private:
    std::map<std::string, TaskKind> kinds_;
    std::map<std::string, std::pair<std::string, std::size_t>> shown_;  // shown name -> kind, index in shown_as
    std::vector<MaintenanceHook> maintenance_;
    std::vector<RecoveryHook> recovery_;
};

// noop and sleep: for tests, demos and benchmarks.
void register_builtin_tasks(TaskRegistry& registry);

}  // namespace switchyard::tasks
