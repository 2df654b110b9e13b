#include "devices/pending_commit_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "devices/sql.h"

namespace switchyard::devices {

void PendingCommitStore::save(const std::string& hostname, std::int64_t job_id, const PendingCommit& pending,
                              const std::string& intended_confhash) {
    pqxx::work tx(conn_);
    tx.exec_params(std::string(sql("pending_commits/save.sql")), hostname, job_id, nlohmann::json(pending).dump(),
                   intended_confhash, static_cast<double>(pending.timer.count()));
    tx.commit();
}

std::optional<StoredPendingCommit> PendingCommitStore::get(const std::string& hostname, std::int64_t job_id) {
    pqxx::work tx(conn_);
    auto rows = tx.exec_params(std::string(sql("pending_commits/get.sql")), hostname, job_id);
    tx.commit();
    if (rows.empty()) return std::nullopt;
    StoredPendingCommit s;
    s.pending = nlohmann::json::parse(rows[0][0].as<std::string>()).get<PendingCommit>();
    s.intended_confhash = rows[0][1].as<std::string>();
    s.time_left = std::chrono::milliseconds(static_cast<std::int64_t>(rows[0][2].as<double>() * 1000));
    return s;
}

void PendingCommitStore::remove(const std::string& hostname, std::int64_t job_id) {
    pqxx::work tx(conn_);
    tx.exec_params(std::string(sql("pending_commits/remove.sql")), hostname, job_id);
    tx.commit();
}

}  // namespace switchyard::devices
