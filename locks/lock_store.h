// Named locks held by jobs, stored in the database (table job_locks).
//
// Every call runs inside the caller's transaction, so that releasing a job's
// locks happens in the same transaction that finalises the job.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace switchyard::locks {

struct JobLock {
    std::string name;
    std::int64_t job_id;
    std::string start_time;  // ISO 8601
    bool abort;
};

struct LockHolder {
    std::int64_t job_id;
    std::string function_name;
};

// Throws std::invalid_argument for a name that is empty, longer than 200
// characters or holds control characters.
void validate_lock_name(const std::string& name);

// Takes `name` for `job_id` in one statement. True when the job now holds it
// (also when it already did); false when another running job holds it.
bool try_acquire(pqxx::transaction_base& tx, const std::string& name, std::int64_t job_id);
// Who holds `name`, if anyone.
std::optional<LockHolder> holder(pqxx::transaction_base& tx, const std::string& name);
// Releases every lock of these jobs; returns how many were released.
std::size_t release_for_jobs(pqxx::transaction_base& tx, const std::vector<std::int64_t>& job_ids);
// Releases locks whose job is not running; returns "name (job N)" for each.
std::vector<std::string> release_stale(pqxx::transaction_base& tx);
std::vector<JobLock> list(pqxx::transaction_base& tx);
// Clears a lock by hand; the job that held it, or nullopt when there was none.
std::optional<std::int64_t> clear(pqxx::transaction_base& tx, const std::string& name);
// Flags the locks of a job being aborted.
void request_abort(pqxx::transaction_base& tx, std::int64_t job_id);

}  // namespace switchyard::locks
