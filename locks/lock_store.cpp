#include "lock_store.h"

#include "locks/queries.h"

#include <stdexcept>

namespace switchyard::locks {

void validate_lock_name(const std::string& name) {
    if (name.empty()) throw std::invalid_argument("a lock name must not be empty");
    if (name.size() > 200) throw std::invalid_argument("a lock name must be at most 200 characters");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) throw std::invalid_argument("a lock name must not contain control characters");
}

bool try_acquire(pqxx::transaction_base& tx, const std::string& name, std::int64_t job_id) {
    validate_lock_name(name);
    return sql::acquire(tx, {.name = name, .job_id = job_id}).has_value();
}

std::optional<LockHolder> holder(pqxx::transaction_base& tx, const std::string& name) {
    auto r = sql::holder(tx, {.name = name});
    if (!r) return std::nullopt;
    return LockHolder{r->job_id, r->function_name.value_or("")};
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
