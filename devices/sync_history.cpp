#include "devices/sync_history.h"

#include <pqxx/pqxx>

#include "devices/queries.h"

namespace switchyard::devices {

bool SyncHistory::add(const SyncEvent& e) {
    pqxx::work tx(conn_);
    std::optional<double> at;
    if (e.timestamp > 0) at = e.timestamp;
    auto added = sql::sync_history::add(
        tx, {.hostname = e.hostname, .cause = e.cause, .by = e.by, .job_id = e.job_id, .at_epoch = at});
    tx.commit();
    return added > 0;
}

std::vector<SyncEvent> SyncHistory::list(const std::optional<std::string>& hostname) {
    pqxx::read_transaction tx(conn_);
    std::vector<SyncEvent> out;
    for (auto& r : sql::sync_history::list(tx, {.hostname = hostname}))
        out.push_back({std::move(r.hostname), std::move(r.cause), r.at_epoch, std::move(r.by), r.job_id});
    return out;
}

}  // namespace switchyard::devices
