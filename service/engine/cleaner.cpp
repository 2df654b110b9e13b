// The cleaner: deletes jobs that ended longer ago than their retention
// (jobs.retention_*_hours), in batches so it never holds long locks.
#include "defaults.h"
#include "maintenance.h"
#include "store/queries.h"

namespace switchyard::engine {

std::size_t clean_old_jobs(EngineCore& core, pqxx::connection& conn) {
    const auto& j = core.settings.jobs;
    std::pair<JobStatus, std::chrono::hours> retention[] = {
        {JobStatus::finished, j.retention_finished_hours},
        {JobStatus::exception, j.retention_exception_hours},
        {JobStatus::aborted, j.retention_aborted_hours},
    };
    std::size_t deleted = 0;
    for (auto& [status, hours] : retention) {
        for (;;) {
            pqxx::work tx(conn);
            auto n = store::sql::maintenance::clean_jobs(tx, {.status = std::string(to_string(status)),
                                                              .retention_hours = static_cast<int>(hours.count()),
                                                              .batch = defaults::kCleanerBatch});
            tx.commit();
            deleted += n;
            if (n < static_cast<std::size_t>(defaults::kCleanerBatch) || core.stop_all.requested()) break;
        }
    }
    pqxx::work tx(conn);
    store::sql::maintenance::clean_workers(tx);
    tx.commit();
    if (deleted) spdlog::info("cleaner: deleted {} ended jobs past their retention", deleted);
    return deleted;
}

}  // namespace switchyard::engine
