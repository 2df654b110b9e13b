// The cleaner: deletes jobs that ended longer ago than their retention
// (jobs.retention_*_hours), in batches so it never holds long locks.
#include "defaults.h"
#include "maintenance.h"

namespace switchyard::engine {

std::size_t clean_old_jobs(EngineCore& core, pqxx::connection& conn) {
    const auto& j = core.settings.jobs;
    std::pair<const char*, int> retention[] = {
        {"FINISHED", j.retention_finished_hours},
        {"EXCEPTION", j.retention_exception_hours},
        {"ABORTED", j.retention_aborted_hours},
    };
    std::size_t deleted = 0;
    for (auto& [status, hours] : retention) {
        for (;;) {
            pqxx::work tx(conn);
            auto n = tx.exec_params(std::string(store::sql("maintenance/clean_jobs.sql")), status, hours,
                                    defaults::kCleanerBatch)
                         .affected_rows();
            tx.commit();
            deleted += n;
            if (n < static_cast<std::size_t>(defaults::kCleanerBatch) || core.stop_all.requested()) break;
        }
    }
    pqxx::work tx(conn);
    tx.exec(std::string(store::sql("maintenance/clean_workers.sql")));
    tx.commit();
    if (deleted) spdlog::info("cleaner: deleted {} ended jobs past their retention", deleted);
    return deleted;
}

}  // namespace switchyard::engine
