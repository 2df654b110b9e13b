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

// A binding lock of another attempt that keeps a lock from the asker.
struct LockBlocker {
    std::string name;
    std::int64_t job_id;
    std::string function_name;  // empty when the job was deleted meanwhile
};

// The global lock CNaaS-NMS clients know: it excludes every device lock, and
// any device lock excludes it.
inline constexpr const char* kAllDevicesLock = "devices";
// The lock a live change of one device takes ("device:<hostname>").
std::string device_lock_name(const std::string& hostname);

// Throws std::invalid_argument for a name that is empty, longer than 200
// characters or holds control characters.
void validate_lock_name(const std::string& name);

// Takes `name` for attempt `attempt` of `job_id` in one statement. True when
// that attempt now holds it (also when it already did); false when another
// running attempt (of another job, or of this one) holds it.
bool try_acquire(pqxx::transaction_base& tx, const std::string& name, std::int64_t job_id, int attempt);
// Takes every lock in `names` for the attempt, all or nothing, in a stable
// (name) order: none is taken when another attempt holds one of them or one
// that excludes it (kAllDevicesLock against device locks). Returns what
// blocks, in name order; empty when all were taken. Serialised with every
// other taker until `tx` ends, so keep `tx` short.
std::vector<LockBlocker> try_acquire_all(pqxx::transaction_base& tx, std::vector<std::string> names,
                                         std::int64_t job_id, int attempt);
// The locks of an attempt pass to its follow-up job (next_job_id), for the
// attempt that job runs next. In the transaction that ends the parent.
void hand_over(pqxx::transaction_base& tx, std::int64_t from_job_id, int from_attempt, std::int64_t to_job_id);
// Jobs sent back to SCHEDULED by the rescuer keep their locks for their next attempt.
void carry_to_retry(pqxx::transaction_base& tx, const std::vector<std::int64_t>& job_ids);
// Releases every lock of these jobs; returns how many were released.
std::size_t release_for_jobs(pqxx::transaction_base& tx, const std::vector<std::int64_t>& job_ids);
// Releases locks whose attempt is not running; returns "name (job N)" for each.
std::vector<std::string> release_stale(pqxx::transaction_base& tx);
std::vector<JobLock> list(pqxx::transaction_base& tx);
// Clears a lock by hand; the job that held it, or nullopt when there was none.
std::optional<std::int64_t> clear(pqxx::transaction_base& tx, const std::string& name);
// Flags the locks of a job being aborted.
void request_abort(pqxx::transaction_base& tx, std::int64_t job_id);

}  // namespace switchyard::locks
