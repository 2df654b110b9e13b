#include "devices/pending_commit_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "devices/queries.h"

namespace switchyard::devices {

void PendingCommitStore::save(const std::vector<Saved>& commits, std::int64_t job_id) {
    if (commits.empty()) return;
    pqxx::work tx(conn_);
    for (auto& c : commits)
        sql::pending_commits::save(tx, {.hostname = c.hostname,
                                        .job_id = job_id,
                                        .pending = nlohmann::json(c.pending),
                                        .intended_confhash = c.intended_confhash,
                                        .timer_seconds = static_cast<double>(c.pending.timer.count())});
    tx.commit();
}

std::optional<StoredPendingCommit> PendingCommitStore::get(const std::string& hostname, std::int64_t job_id) {
    pqxx::work tx(conn_);
    auto row = sql::pending_commits::get(tx, {.hostname = hostname, .job_id = job_id});
    tx.commit();
    if (!row) return std::nullopt;
    StoredPendingCommit s;
    s.pending = row->pending.get<PendingCommit>();
    s.intended_confhash = row->intended_confhash;
    s.time_left = std::chrono::milliseconds(static_cast<std::int64_t>(row->seconds_left * 1000));
    return s;
}

void PendingCommitStore::remove(const std::vector<std::string>& hostnames, std::int64_t job_id) {
    if (hostnames.empty()) return;
    pqxx::work tx(conn_);
    for (auto& h : hostnames) sql::pending_commits::remove(tx, {.hostname = h, .job_id = job_id});
    tx.commit();
}

}  // namespace switchyard::devices
