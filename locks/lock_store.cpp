#include "lock_store.h"

#include <stdexcept>
#include <string_view>

namespace switchyard::locks {

std::string_view sql(std::string_view name);  // embedded from locks/sql

void validate_lock_name(const std::string& name) {
    if (name.empty()) throw std::invalid_argument("a lock name must not be empty");
    if (name.size() > 200) throw std::invalid_argument("a lock name must be at most 200 characters");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) throw std::invalid_argument("a lock name must not contain control characters");
}

bool try_acquire(pqxx::transaction_base& tx, const std::string& name, std::int64_t job_id) {
    validate_lock_name(name);
    return !tx.exec_params(std::string(sql("acquire.sql")), name, job_id).empty();
}

std::optional<LockHolder> holder(pqxx::transaction_base& tx, const std::string& name) {
    auto r = tx.exec_params(std::string(sql("holder.sql")), name);
    if (r.empty()) return std::nullopt;
    return LockHolder{r[0][0].as<std::int64_t>(), r[0][1].is_null() ? "" : r[0][1].as<std::string>()};
}

std::string bigint_array(const std::vector<std::int64_t>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

std::size_t release_for_jobs(pqxx::transaction_base& tx, const std::vector<std::int64_t>& job_ids) {
    if (job_ids.empty()) return 0;
    return tx.exec_params(std::string(sql("release_for_jobs.sql")), bigint_array(job_ids)).affected_rows();
}

std::vector<std::string> release_stale(pqxx::transaction_base& tx) {
    std::vector<std::string> out;
    for (auto row : tx.exec(std::string(sql("release_stale.sql"))))
        out.push_back(row[0].as<std::string>() + " (job " + row[1].as<std::string>() + ")");
    return out;
}

std::vector<JobLock> list(pqxx::transaction_base& tx) {
    std::vector<JobLock> out;
    for (auto row : tx.exec(std::string(sql("list.sql"))))
        out.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<std::string>(), row[3].as<bool>()});
    return out;
}

std::optional<std::int64_t> clear(pqxx::transaction_base& tx, const std::string& name) {
    validate_lock_name(name);
    auto r = tx.exec_params(std::string(sql("clear.sql")), name);
    if (r.empty()) return std::nullopt;
    return r[0][1].as<std::int64_t>();
}

void request_abort(pqxx::transaction_base& tx, std::int64_t job_id) {
    tx.exec_params(std::string(sql("request_abort.sql")), job_id);
}

}  // namespace switchyard::locks
