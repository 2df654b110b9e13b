#include "recovery.h"

#include "job_store.h"
#include "locks/lock_store.h"
#include "store/queries.h"

#include <spdlog/spdlog.h>

namespace switchyard::engine {

void schedule_recoveries(pqxx::dbtransaction& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                         const std::vector<AbnormalEnd>& ended) {
    if (registry.recovery_hooks().empty()) return;
    for (auto& e : ended) {
        for (auto& hook : registry.recovery_hooks()) {
            // One job's recovery that fails must not undo the others' ends.
            pqxx::subtransaction sub(tx, "recovery");
            try {
                auto recovery = hook.recovery(sub, e.job);
                if (!recovery) {
                    sub.commit();
                    continue;
                }
                EnqueueRequest r;
                r.function_name = recovery->function_name;
                r.args = recovery->args;
                r.scheduled_by = e.scheduled_by;
                r.comment = "recovers what job " + std::to_string(e.job.id) + " left half done";
                auto id = enqueue(sub, registry, settings, r).id;
                store::sql::jobs::name_recovery(sub, {.id = e.job.id, .recovery_job_id = id});
                locks::hand_over(sub, e.job.id, e.job.attempt, id);
                sub.commit();
                spdlog::warn("job {} ended abnormally with work half done; recovery job {} ({}) scheduled", e.job.id,
                             id, recovery->function_name);
                break;  // one recovery per job
            } catch (const std::exception& ex) {
                spdlog::error("job {}: could not schedule its recovery ({}): {}", e.job.id, hook.name, ex.what());
            }
        }
    }
}

}  // namespace switchyard::engine
