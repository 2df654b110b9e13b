#include "housekeeper.h"

#include "completer.h"
#include "devices/json_text.h"
#include "job_outcome.h"
#include "queue_runner.h"
#include "store/queries.h"

#include <set>

namespace switchyard::engine {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

void heartbeat(EngineCore& core, pqxx::connection& conn) {
    std::int64_t id = core.worker_id.load();
    std::optional<store::sql::workers::HeartbeatRow> alive;
    {
        pqxx::nontransaction tx(conn);
        alive = store::sql::workers::heartbeat(tx, sqlgen::prepared, {.worker_id = id});
    }
    if (alive) {
        core.lease.renewed();
        return;
    }
    if (core.stop_claiming.requested()) return;  // retired by Engine::stop: not a lost lease
    // Declared dead (no heartbeat for a lease: the database was unreachable or
    // this process stalled). Our running jobs were handed to the rescuer, so
    // stop them, and carry on as a new worker.
    std::int64_t fresh = core.register_worker(conn);
    core.worker_id = fresh;
    core.lease.renewed();
    spdlog::error("worker {} lost its lease; its running jobs were rescued; continuing as worker {}", id, fresh);
    for (auto& job : core.running.all())
        if (job->claim().worker_id == id)
            job->request_abort("this worker lost its lease and the job was rescued", false);
}

void pick_up_aborts(EngineCore& core, pqxx::connection& conn) {
    if (core.running.size() == 0) return;
    std::vector<store::sql::jobs::RunningAbortsRow> aborts;
    {
        pqxx::nontransaction tx(conn);
        aborts = store::sql::jobs::running_aborts(tx, sqlgen::prepared, {.worker_id = core.worker_id.load()});
    }
    for (auto& row : aborts)
        if (auto job = core.running.find(row.id)) job->request_abort(row.reason, false);
}

// Suspends and resumes of running rollouts (PUT /job/<id> SUSPEND, RESUME):
// each running job of this worker learns whether it is asked to suspend.
void pick_up_suspends(EngineCore& core, pqxx::connection& conn) {
    std::int64_t me = core.worker_id.load();
    std::vector<std::pair<std::shared_ptr<RunningJob>, std::uint64_t>> mine;
    for (auto& job : core.running.all())
        if (job->claim().worker_id == me) mine.emplace_back(job, job->suspend_epoch());
    if (mine.empty()) return;
    std::set<std::int64_t> suspended;
    {
        pqxx::nontransaction tx(conn);
        for (auto& row : store::sql::jobs::running_suspends(tx, sqlgen::prepared, {.worker_id = me}))
            suspended.insert(row.id);
    }
    for (auto& [job, epoch] : mine) job->set_suspend_requested(suspended.count(job->claim().id) > 0, epoch);
}

void enforce_timeouts(EngineCore& core) {
    auto now = Clock::now();
    auto grace = std::chrono::seconds(core.settings.jobs.timeout_grace_seconds);
    for (auto& job : core.running.all()) {
        if (now < job->deadline()) continue;
        std::string reason = "job timed out after " + std::to_string(job->claim().timeout_seconds) + " s";
        if (!job->timed_out()) {
            spdlog::warn("job {}: {}; asking it to stop", job->claim().id, reason);
            job->request_abort(reason, true);
        } else if (now >= std::max(job->deadline() + grace, job->locks_kept_until()) && job->mark_completed()) {
            // The task ignores its abort: end the job without it. Its thread
            // stays stuck; whatever it returns later is dropped. Not before
            // the deadline of a device it may still be changing: ending the
            // job releases its locks.
            spdlog::error("job {}: still running {} s after its timeout; ending it and abandoning its thread",
                          job->claim().id, core.settings.jobs.timeout_grace_seconds.count());
            Completion c;
            c.id = job->claim().id;
            c.worker_id = job->claim().worker_id;
            c.attempt = job->claim().attempt;
            c.status = JobStatus::exception;
            c.exception = exception_document(reason + "; the task did not stop within " +
                                                 std::to_string(core.settings.jobs.timeout_grace_seconds.count()) +
                                                 " s and was abandoned",
                                             "JobTimeout", json::array(), {});
            c.error = {{"attempt", c.attempt}, {"message", c.exception["message"]}, {"type", "JobTimeout"}};
            job->fill(c);
            c.next.reset();
            core.completer->submit(std::move(c));
            if (auto it = core.queues.find(job->claim().queue); it != core.queues.end())
                it->second->add_replacement_worker();
        }
    }
}

// A claim whose reply was lost (connection broken after the commit) leaves a
// job RUNNING under this live worker that no thread runs. Such jobs are
// handed to the rescuer, which retries or ends them like a dead worker's.
constexpr int kOrphanAgeSeconds = 5;

void disown_orphans(EngineCore& core, pqxx::connection& conn) {
    std::int64_t me = core.worker_id.load();
    pqxx::work tx(conn);
    for (auto& row : store::sql::jobs::owned_running(tx, sqlgen::prepared,
                                                     {.worker_id = me, .min_age_seconds = kOrphanAgeSeconds})) {
        auto id = row.id;
        auto attempt = row.attempt;
        auto job = core.running.find(id);
        if (job && job->claim().attempt == attempt) continue;
        spdlog::warn("job {} attempt {} is marked running here but no thread runs it; handing it to the rescuer", id,
                     attempt);
        store::sql::jobs::disown(tx, sqlgen::prepared, {.id = id, .attempt = attempt, .worker_id = me});
    }
    tx.commit();
}

void flush_progress(EngineCore& core, pqxx::connection& conn) {
    std::map<std::int64_t, json> rows_by_worker;
    for (auto& job : core.running.all())
        if (auto row = job->take_progress()) {
            auto& rows = rows_by_worker[job->claim().worker_id];
            if (rows.is_null()) rows = json::array();
            rows.push_back(std::move(*row));
        }
    if (rows_by_worker.empty()) return;
    pqxx::work tx(conn);
    for (auto& [worker, rows] : rows_by_worker)
        store::sql::jobs::flush_progress(
            tx, sqlgen::prepared,
            {.progress = sqlgen::JsonText::raw(devices::storable_json(rows)), .worker_id = worker});
    tx.commit();
}

}  // namespace

void run_housekeeper(EngineCore& core) {
    with_reconnects(core, "housekeeper", [&](pqxx::connection& conn) {
        auto orphan_check_every = std::chrono::seconds(kOrphanAgeSeconds);
        auto next_orphan_check = Clock::now() + orphan_check_every;
        auto interval = std::chrono::milliseconds(core.settings.jobs.heartbeat_interval_ms);
        auto flush_every = std::chrono::milliseconds(core.settings.jobs.progress_flush_ms);
        // The tick is the shorter of the two, so neither runs late by more than a tick.
        auto tick = std::min<std::chrono::milliseconds>({interval, flush_every, std::chrono::milliseconds(250)});
        auto next_beat = Clock::now();
        auto next_flush = Clock::now() + flush_every;
        while (!core.stop_all.requested()) {
            auto now = Clock::now();
            if (now >= next_beat) {
                heartbeat(core, conn);
                pick_up_aborts(core, conn);
                pick_up_suspends(core, conn);
                next_beat = now + interval;
            }
            if (now >= next_orphan_check) {
                disown_orphans(core, conn);
                next_orphan_check = now + orphan_check_every;
            }
            enforce_timeouts(core);
            if (now >= next_flush) {
                flush_progress(core, conn);
                next_flush = now + flush_every;
            }
            core.stop_all.wait_for(tick);
        }
    });
}

}  // namespace switchyard::engine
