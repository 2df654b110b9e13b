#include "recovery.h"

#include "devices/secret_masker.h"
#include "job_store.h"
#include "locks/lock_store.h"
#include "store/queries.h"
#include "store/savepoint.h"

#include <spdlog/spdlog.h>
#include <optional>

namespace switchyard::engine {

namespace {

// Said in the ended job's result: a failure only logged would leave the job
// reading as any other EXCEPTION while its devices may be half configured.
void note_failure(pqxx::dbtransaction& tx, std::int64_t job_id, const std::string& why) {
    try {
        store::Savepoint part(tx, "recovery_error");
        auto& sub = part.tx();
        store::sql::jobs::note_recovery_failure(
            sub, {.id = job_id,
                  .error = devices::safe_text("no recovery job could be scheduled (" + why +
                                              "); what this job was changing may be left half done: "
                                              "check its devices with a dry run")});
        sub.commit();
    } catch (const std::exception& ex) {
        spdlog::error("job {}: could not record that its recovery failed: {}", job_id, ex.what());
    }
}

}  // namespace

void schedule_recoveries(pqxx::dbtransaction& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                         const std::vector<AbnormalEnd>& ended) {
    if (registry.recovery_hooks().empty()) return;
    for (auto& e : ended) {
        std::optional<std::string> failed;  // a hook that answers for the job could not insert its recovery
        for (auto& hook : registry.recovery_hooks()) {
            try {
                // One job's recovery that fails must not undo the others' ends.
                store::Savepoint part(tx, "recovery");
                auto& sub = part.tx();
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
                failed.reset();
                break;  // one recovery per job
            } catch (const std::exception& ex) {
                // The subtransaction is rolled back here (destroyed before the handler runs).
                failed = hook.name + ": " + ex.what();
                spdlog::error("job {}: could not schedule its recovery ({})", e.job.id, *failed);
            }
        }
        if (failed) note_failure(tx, e.job.id, *failed);
    }
}

}  // namespace switchyard::engine
