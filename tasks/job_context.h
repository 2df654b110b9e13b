// The job context: everything a job kind may touch while it runs.
//
// The engine (service/) implements it; job kinds (this folder) only see this
// interface, so tasks never depend on how jobs are stored or claimed.
#pragma once

#include "devices/safe_json_text.h"

#include <spdlog/logger.h>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/transaction_base>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

namespace switchyard::tasks {

// Identity of the running attempt, as the engine claimed it.
struct JobInfo {
    std::int64_t id = 0;
    std::string function_name;
    std::string queue;
    int attempt = 0;  // 1 on the first run
    int max_attempts = 1;
    std::string scheduled_by;
};

// Thrown by JobContext::check_abort() when the job was asked to stop (an
// operator's abort or the job's timeout). Tasks let it propagate; the engine
// turns it into ABORTED (or EXCEPTION for a timeout).
class AbortRequested : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by a task to ask for another attempt later (transient failure).
// The engine schedules the retry with exponential backoff and jitter until the
// job's attempts run out, then ends it EXCEPTION with every attempt's error.
class RetryableError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown by JobContext::acquire_lock when the lock stayed held past the wait.
class LockBusy : public std::runtime_error {
public:
    LockBusy(const std::string& what, std::vector<std::int64_t> holders)
        : std::runtime_error(what), holders_(std::move(holders)) {}
    // The jobs that hold the locks asked for.
    const std::vector<std::int64_t>& holders() const { return holders_; }

private:
    std::vector<std::int64_t> holders_;
};

// Thrown by JobContext::fence when this attempt may no longer change a
// device: its lease or one of its locks is gone (rescued as a dead worker,
// ended, a lock cleared by hand), or its worker's heartbeat has been failing
// for half a lease. A device job fails the device it was about to change.
class LeaseLost : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A job a task schedules for later by itself, in a transaction of its own
// (JobContext::enqueue_in): a confirm timer (tasks/roll_back_unconfirmed.cpp).
struct LaterJob {
    std::string function_name;
    nlohmann::json args = nlohmann::json::object();
    // scheduled_time is the transaction's now() plus this, so that a row the
    // same transaction writes can name the same instant.
    std::chrono::seconds delay{0};
    // A job holding it already is returned instead of a new one.
    std::string idempotency_key;
    std::string comment;
};

class JobContext {
public:
    virtual ~JobContext() = default;

    virtual const JobInfo& job() const = 0;
    // The job's start_arguments.
    virtual const nlohmann::json& args() const = 0;
    // A logger whose lines carry the job id. Never give it a credential.
    virtual spdlog::logger& log() = 0;

    // Cheap (in memory, kept current by the engine): true once an abort or
    // the job's timeout asks the task to stop.
    virtual bool abort_requested() const = 0;
    virtual std::string abort_reason() const = 0;
    // Throws AbortRequested when abort_requested(). Call between steps, never
    // in the middle of something that must complete (a device commit).
    void check_abort() const {
        if (abort_requested()) throw AbortRequested(abort_reason());
    }

    // Cheap (in memory, kept current by the engine as abort_requested() is):
    // true while this job is asked to suspend (PUT /job/<id> {"action":
    // "SUSPEND"}, or suspend_self()) and not resumed. Only a job that pauses
    // between steps (a rollout between its batches) looks at it; it stays
    // RUNNING, keeps its locks, and its worker keeps heartbeating.
    virtual bool suspend_requested() const = 0;
    // The job suspends itself, durably, as an operator's SUSPEND would (a
    // rollout's pause_after_first); an operator's RESUME ends it.
    virtual void suspend_self() = 0;
    // Returns at `until`, or as soon as an abort, a suspend or a resume is
    // asked for: a pause that an abort ends at once, never a blind sleep.
    virtual void wait_for_request(std::chrono::steady_clock::time_point until) const = 0;

    // Takes the named lock for this job, waiting at most `wait` while another
    // job holds it; throws LockBusy naming the holder when it stays held.
    // Locks are released by the engine in the transaction that finalises the
    // job, whatever the end.
    void acquire_lock(const std::string& name, std::chrono::milliseconds wait) { acquire_locks({name}, wait); }
    // Takes all of `names` at once or none (stable order, one statement),
    // waiting at most `wait` while any is held, or excluded by a held lock
    // (the global `devices` and the device locks exclude each other); throws
    // LockBusy naming each blocking lock and its job.
    virtual void acquire_locks(const std::vector<std::string>& names, std::chrono::milliseconds wait) = 0;

    // Fired when this attempt must stop touching devices at once, even in
    // the middle of a change: its worker's heartbeat has been failing for half
    // a lease, so another worker may soon take the job over and recover its
    // devices (the job is asked to abort too, so that it ends abnormally and
    // what it left half done gets its recovery). Device work passes it on to
    // each device's stop token (DeviceJob's fan-outs), which ends that
    // device's next wait for output.
    virtual std::stop_token device_stop() const = 0;

    // Fencing: call before each device change (load, commit, confirm,
    // rollback). Proves that this attempt still owns its lease and every lock
    // it took; throws LeaseLost otherwise. One database round trip.
    virtual void fence() = 0;
    // The job's thread may be changing a device until `until` (that device's
    // deadline). A job that times out is not ended, and keeps its locks,
    // before then: another job must not get the device mid-change.
    virtual void keep_locks_until(std::chrono::steady_clock::time_point until) = 0;

    // Progress: free-form JSON (e.g. {"done": 3, "total": 10}). Thread-safe;
    // the engine writes it in batches (at most every progress flush interval).
    virtual void report_progress(nlohmann::json progress) = 0;
    // Appends a hostname to finished_devices. Thread-safe, batched like progress.
    virtual void device_finished(const std::string& hostname) = 0;
    // Sets the job's change_score (0-100).
    virtual void set_change_score(int score) = 0;

    // Replaces the job's result document. Thread-safe. The last value set is
    // stored when the job ends, whether it finishes, fails or is aborted. It
    // comes masked (devices/safe_json_text.h): a large result is written
    // member by member, never held as a whole tree.
    virtual void set_result_text(devices::SafeJsonText result) = 0;
    // The same from a document (masked here).
    void set_result(nlohmann::json result) { set_result_text(devices::SafeJsonText::of(std::move(result))); }
    // A result too large to hold whole (DeviceJob's, 13 MB of text at 10,000
    // devices): a SafeJsonWriter given this sink stores its parts as it goes
    // (each in a statement of its own), and its finish() makes them the
    // result, as set_result_text would. Until then the last result set
    // stands; a result set after replaces it. One sink at a time.
    virtual std::unique_ptr<devices::JsonTextSink> result_sink() = 0;

    // Asks for a follow-up job, inserted (and linked as next_job_id) in the
    // same transaction that finishes this job, only if it ends FINISHED.
    virtual void schedule_next(const std::string& function_name, nlohmann::json args) = 0;

    // Inserts `job` in `tx` (the caller's transaction, on a connection of its
    // own), scheduled by this job's scheduler: durable once `tx` commits,
    // gone if it rolls back. Returns its id. Throws std::invalid_argument
    // when the engine refuses it (an unknown kind, its arguments).
    virtual std::int64_t enqueue_in(pqxx::transaction_base& tx, const LaterJob& job) = 0;
    // Job `id` ends ABORTED in `tx` if it is still SCHEDULED (a timer nothing
    // needs any more), saying `reason`; a job already running is left alone.
    // True when it was cancelled.
    virtual bool cancel_scheduled(pqxx::transaction_base& tx, std::int64_t id, const std::string& reason) = 0;
};

}  // namespace switchyard::tasks
