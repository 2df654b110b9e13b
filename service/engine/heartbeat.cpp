#include "heartbeat.h"

#include "store/queries.h"

#include <spdlog/spdlog.h>
#include <algorithm>

namespace switchyard::engine {
namespace {

using Clock = std::chrono::steady_clock;

void heartbeat(EngineCore& core, pqxx::connection& conn) {
    std::int64_t id = core.worker_id.load();
    // The lease runs from when the database wrote the heartbeat, which is no
    // earlier than now: a reply that comes late must not make the lease look
    // fresher than it is (fencing counts from this time).
    const auto sent = Clock::now();
    std::optional<store::sql::workers::HeartbeatRow> alive;
    {
        pqxx::nontransaction tx(conn);
        alive = store::sql::workers::heartbeat(tx, sqlgen::prepared, {.worker_id = id});
    }
    if (alive) {
        core.lease.renewed(sent);
        return;
    }
    if (core.stop_claiming.requested()) return;  // retired by Engine::stop: not a lost lease
    // Declared dead (no heartbeat for a lease: the database was unreachable or
    // this process stalled). Our running jobs were handed to the rescuer, so
    // stop them, and carry on as a new worker.
    const auto registered = Clock::now();
    std::int64_t fresh = core.register_worker(conn);
    core.worker_id = fresh;
    core.lease.renewed(registered);
    spdlog::error("worker {} lost its lease; its running jobs were rescued; continuing as worker {}", id, fresh);
    for (auto& job : core.running.all())
        if (job->claim().worker_id == id)
            job->request_abort("this worker lost its lease and the job was rescued", false);
}

}  // namespace

void run_heartbeat(EngineCore& core) {
    with_reconnects(core, "heartbeat", [&](pqxx::connection& conn) {
        const auto interval = std::chrono::milliseconds(core.settings.jobs.heartbeat_interval_ms);
        auto next = Clock::now();
        while (!core.stop_all.requested()) {
            heartbeat(core, conn);
            // On the beat, not after the work: a slow heartbeat does not push
            // the next one later (one that is already due goes at once).
            const auto now = Clock::now();
            next = std::max(next + interval, now);
            core.stop_all.wait_for(next - now);
        }
    });
}

}  // namespace switchyard::engine
