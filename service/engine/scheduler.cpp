// The scheduler: when jobs scheduled for later (and retries after their
// backoff) come due, no insert wakes the workers, so it NOTIFYs their queues.
#include "maintenance.h"
#include "store/queries.h"

namespace switchyard::engine {

std::size_t wake_due_queues(EngineCore& core, pqxx::connection& conn) {
    std::vector<std::string> queues;
    for (auto& [name, concurrency] : core.settings.jobs.queues) queues.push_back(name);
    pqxx::work tx(conn);
    auto due = store::sql::maintenance::due_queues(tx, {.queues = queues});
    for (auto& row : due) store::sql::maintenance::notify_ready(tx, {.queue = row.queue});
    tx.commit();
    return due.size();
}

}  // namespace switchyard::engine
