#include "housekeeper.h"

#include "completer.h"
#include "devices/json_text.h"
#include "job_outcome.h"
#include "queue_runner.h"
#include "store/queries.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::engine {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

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
    // Each worker's rows as one JSON array's text (take_progress makes each
    // row storable text already).
    std::map<std::int64_t, devices::StorableJsonArray> rows_by_worker;
    for (auto& job : core.running.all())
        if (auto row = job->take_progress()) rows_by_worker[job->claim().worker_id].add_storable(*row);
    if (rows_by_worker.empty()) return;
    pqxx::work tx(conn);
    for (auto& [worker, rows] : rows_by_worker)
        store::sql::jobs::flush_progress(tx, sqlgen::prepared,
                                         {.progress = sqlgen::JsonText::raw(rows.finish()), .worker_id = worker});
    tx.commit();
}

// How long each step of one round took. Aborts, suspends, timeouts and the
// progress flush are acted on between rounds only: a slow round delays an
// operator's abort and the finished_devices readers see. Most steps take
// running jobs' locks, which 1,000 device threads on 2 cores kept busy for
// seconds at a time (bench/recovery). Saying which step was slow is the
// first thing to know when that happens.
class RoundTimes {
public:
    explicit RoundTimes(Clock::time_point start) : start_(start), last_(start) {}
    void step(const char* name) {
        auto now = Clock::now();
        steps_.emplace_back(name, now - last_);
        last_ = now;
    }
    void warn_if_longer_than(std::chrono::milliseconds limit) const {
        auto took = last_ - start_;
        if (took <= limit) return;
        std::string parts;
        for (auto& [name, d] : steps_)
            parts += (parts.empty() ? "" : ", ") + std::string(name) + " " +
                     std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
        spdlog::warn("housekeeper: a round took {} ms, longer than the heartbeat interval ({} ms): {}",
                     std::chrono::duration_cast<std::chrono::milliseconds>(took).count(), limit.count(), parts);
    }

private:
    Clock::time_point start_, last_;
    std::vector<std::pair<const char*, Clock::duration>> steps_;
};

}  // namespace

void run_housekeeper(EngineCore& core) {
    with_reconnects(core, "housekeeper", [&](pqxx::connection& conn) {
        auto orphan_check_every = std::chrono::seconds(kOrphanAgeSeconds);
        auto next_orphan_check = Clock::now() + orphan_check_every;
        auto interval = std::chrono::milliseconds(core.settings.jobs.heartbeat_interval_ms);
        auto flush_every = std::chrono::milliseconds(core.settings.jobs.progress_flush_ms);
        // The tick is the shorter of the two, so neither runs late by more than a tick.
        auto tick = std::min<std::chrono::milliseconds>({interval, flush_every, std::chrono::milliseconds(250)});
        auto next_check = Clock::now();
        auto next_flush = Clock::now() + flush_every;
        while (!core.stop_all.requested()) {
            auto now = Clock::now();
            RoundTimes round(now);
            if (now >= next_check) {
                pick_up_aborts(core, conn);
                round.step("aborts");
                pick_up_suspends(core, conn);
                round.step("suspends");
                next_check = now + interval;
            }
            if (now >= next_orphan_check) {
                disown_orphans(core, conn);
                round.step("orphans");
                next_orphan_check = now + orphan_check_every;
            }
            enforce_timeouts(core);
            round.step("timeouts");
            if (now >= next_flush) {
                flush_progress(core, conn);
                round.step("progress");
                next_flush = now + flush_every;
            }
            round.warn_if_longer_than(interval);
            core.stop_all.wait_for(tick);
        }
    });
}

}  // namespace switchyard::engine
