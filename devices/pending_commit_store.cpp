#include "devices/pending_commit_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "devices/sql.h"

namespace switchyard::devices {

void PendingCommitStore::save(const std::vector<Saved>& commits, std::int64_t job_id) {
    if (commits.empty()) return;
    pqxx::work tx(conn_);
    const std::string save = std::string(sql("pending_commits/save.sql"));
    for (auto& c : commits)
        tx.exec_params(save, c.hostname, job_id, nlohmann::json(c.pending).dump(), c.intended_confhash,
                       static_cast<double>(c.pending.timer.count()));
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

void PendingCommitStore::remove(const std::vector<std::string>& hostnames, std::int64_t job_id) {
    if (hostnames.empty()) return;
    pqxx::work tx(conn_);
    const std::string remove = std::string(sql("pending_commits/remove.sql"));
    for (auto& h : hostnames) tx.exec_params(remove, h, job_id);
    tx.commit();
}

}  // namespace switchyard::devices
