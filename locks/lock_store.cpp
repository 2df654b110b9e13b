#include "lock_store.h"

#include "locks/queries.h"

#include <algorithm>
#include <stdexcept>

namespace switchyard::locks {

void validate_lock_name(const std::string& name) {
    if (name.empty()) throw std::invalid_argument("a lock name must not be empty");
    if (name.size() > 200) throw std::invalid_argument("a lock name must be at most 200 characters");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) throw std::invalid_argument("a lock name must not contain control characters");
}

std::string device_lock_name(const std::string& hostname) { return "device:" + hostname; }

bool try_acquire(pqxx::transaction_base& tx, const std::string& name, std::int64_t job_id, int attempt) {
    return try_acquire_all(tx, {name}, job_id, attempt).empty();
}

std::vector<LockBlocker> try_acquire_all(pqxx::transaction_base& tx, std::vector<std::string> names,
                                         std::int64_t job_id, int attempt) {
    for (auto& n : names) validate_lock_name(n);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::vector<LockBlocker> out;
    if (names.empty()) return out;
    sql::gate(tx);
    for (auto& row : sql::blockers(tx, {.names = names, .job_id = job_id, .attempt = attempt}))
        out.push_back({row.name, row.job_id, row.function_name.value_or("")});
    if (out.empty()) sql::take_all(tx, {.names = names, .job_id = job_id, .attempt = attempt});
    return out;
}

void hand_over(pqxx::transaction_base& tx, std::int64_t from_job_id, int from_attempt, std::int64_t to_job_id) {
    sql::hand_over(tx, {.from_job_id = from_job_id, .from_attempt = from_attempt, .to_job_id = to_job_id});
}

void carry_to_retry(pqxx::transaction_base& tx, const std::vector<std::int64_t>& job_ids) {
    if (!job_ids.empty()) sql::carry_to_retry(tx, {.job_ids = job_ids});
}

std::size_t release_for_jobs(pqxx::transaction_base& tx, const std::vector<std::int64_t>& job_ids) {
    if (job_ids.empty()) return 0;
    return sql::release_for_jobs(tx, {.job_ids = job_ids});
}

std::vector<std::string> release_stale(pqxx::transaction_base& tx) {
    std::vector<std::string> out;
    for (auto& row : sql::release_stale(tx)) out.push_back(row.name + " (job " + std::to_string(row.job_id) + ")");
    return out;
}

std::vector<JobLock> list(pqxx::transaction_base& tx) {
    std::vector<JobLock> out;
    for (auto& row : sql::list(tx)) out.push_back({row.name, row.job_id, row.start_time, row.abort});
    return out;
}

std::optional<std::int64_t> clear(pqxx::transaction_base& tx, const std::string& name) {
    validate_lock_name(name);
    auto r = sql::clear(tx, {.name = name});
    if (!r) return std::nullopt;
    return r->job_id;
}

void request_abort(pqxx::transaction_base& tx, std::int64_t job_id) { sql::request_abort(tx, {.job_id = job_id}); }

}  // namespace switchyard::locks
