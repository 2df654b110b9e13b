// The scheduler: when jobs scheduled for later (and retries after their
// backoff) come due, no insert wakes the workers, so it NOTIFYs their queues.
#include "maintenance.h"

namespace switchyard::engine {

std::size_t wake_due_queues(EngineCore& core, pqxx::connection& conn) {
    std::string queues = "{";
    for (auto& [name, concurrency] : core.settings.jobs.queues) queues += (queues.size() > 1 ? "," : "") + name;
    queues += "}";  // names are validated settings ([a-z0-9_-]), not user input
    pqxx::work tx(conn);
    auto due = tx.exec_params(std::string(store::sql("maintenance/due_queues.sql")), queues);
    for (auto row : due) tx.exec_params("SELECT pg_notify('switchyard_job_ready', $1)", row[0].as<std::string>());
    tx.commit();
    return due.size();
}

}  // namespace switchyard::engine
