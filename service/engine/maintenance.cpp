#include "maintenance.h"

#include "store/queries.h"

namespace switchyard::engine {
namespace {

constexpr const char* kRole = "maintenance";
// The cleaner deletes in batches; it need not run every round.
constexpr int kCleanerEveryRounds = 30;

void fold_job_counts(pqxx::connection& conn) {
    pqxx::work tx(conn);
    store::sql::maintenance::fold_job_counts(tx);
    tx.commit();
}

bool elect(EngineCore& core, pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return store::sql::workers::elect(
               tx, {.role = kRole,
                    .worker_id = core.worker_id.load(),
                    .lease_seconds = std::chrono::duration<double>(core.settings.jobs.leader_lease_seconds).count()})
        .has_value();
}

// The hooks owners registered (tasks::TaskRegistry::add_maintenance), each
// on its own schedule. One that fails is logged and does not stop the others;
// a broken connection ends the round (the caller reconnects).
void run_hooks(EngineCore& core, pqxx::connection& conn, int round) {
    for (auto& hook : core.registry.maintenance_hooks()) {
        if (round % hook.every_rounds != 0) continue;
        try {
            hook.run(conn);
        } catch (const pqxx::broken_connection&) {
            throw;
        } catch (const std::exception& e) {
            spdlog::error("maintenance hook '{}' failed: {}", hook.name, e.what());
        }
    }
}

void resign(EngineCore& core, pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    store::sql::workers::resign(tx, {.role = kRole, .worker_id = core.worker_id.load()});
}

}  // namespace

void run_maintenance(EngineCore& core) {
    with_reconnects(core, "maintenance", [&](pqxx::connection& conn) {
        bool leading = false;
        int round = 0;
        auto interval = std::chrono::milliseconds(core.settings.jobs.maintenance_interval_ms);
        for (;;) {
            bool now_leading = elect(core, conn);
            if (now_leading != leading)
                spdlog::info("worker {} {} the maintenance leader", core.worker_id.load(),
                             now_leading ? "is now" : "is no longer");
            leading = now_leading;
            if (leading) {
                rescue_lost_jobs(core, conn);
                enqueue_schedule_ticks(core, conn);
                wake_due_queues(core, conn);
                fold_job_counts(conn);
                if (round % kCleanerEveryRounds == 0) clean_old_jobs(core, conn);
                run_hooks(core, conn, round);
                ++round;
            }
            if (core.stop_all.wait_for(interval)) break;
        }
        if (leading) {
            rescue_lost_jobs(core, conn);  // jobs this process left behind when it stopped
            resign(core, conn);
        }
    });
}

}  // namespace switchyard::engine
