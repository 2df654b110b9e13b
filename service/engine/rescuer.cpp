// The rescuer: finds workers whose heartbeat is older than their lease, and
// ends or retries the jobs they were running, releasing their locks, all in
// one transaction.
#include "devices/json_text.h"
#include "job_outcome.h"
#include "locks/lock_store.h"
#include "maintenance.h"
#include "recovery.h"
#include "store/queries.h"

#include <set>

namespace switchyard::engine {
namespace {

using nlohmann::json;

// A job during which this many workers died is not run again, whatever its
// attempts and retry safety: it may be what kills them (a crash in the task),
// and each retry would take another worker down with it.
constexpr int kWorkerDeathsBeforeGivingUp = 2;

}  // namespace

std::size_t rescue_lost_jobs(EngineCore& core, pqxx::connection& conn) {
    pqxx::work tx(conn);
    for (auto& dead : store::sql::maintenance::mark_dead(tx))
        spdlog::warn("worker {} ({} pid {}) stopped heartbeating; rescuing its jobs", dead.id, dead.hostname, dead.pid);

    json decisions = json::array();
    std::vector<std::int64_t> ended, retried;
    std::vector<AbnormalEnd> abnormal;
    for (auto& lost : store::sql::maintenance::lost_jobs(tx)) {
        std::int64_t id = lost.id;
        auto status = job_status_from_string(lost.status);
        int attempt = lost.attempt;
        int max_attempts = lost.max_attempts;
        bool retry_safe = lost.retry_safe;
        const std::string& kind = lost.function_name;
        std::string worker = "worker " + (lost.worker_id ? std::to_string(*lost.worker_id) : std::string("?")) + " (" +
                             lost.hostname + " pid " + std::to_string(lost.pid) + ")";
        bool stopped = !lost.worker_died && lost.worker_id;  // on purpose, leaving the job behind
        std::string why = worker + (stopped ? " stopped" : " died") + " while running attempt " +
                          std::to_string(attempt) + ": " + lost.dead_reason;
        int deaths = lost.worker_deaths + (lost.worker_died ? 1 : 0);

        json d = {{"id", id}, {"attempt", attempt}, {"worker_died", lost.worker_died}};
        d["error"] = {{"attempt", attempt}, {"message", why}, {"type", "WorkerLost"}, {"trace", json::array()}};
        JobStatus decided;
        if (status == JobStatus::aborting) {
            decided = JobStatus::aborted;
            d["result"] = {{"message", "Job aborted; " + why}};
        } else if (deaths >= kWorkerDeathsBeforeGivingUp) {
            decided = JobStatus::exception;
            std::string message = why + "; workers died " + std::to_string(deaths) +
                                  " times while running this job, so it is not run again "
                                  "(the job itself may be what kills its workers)";
            d["exception"] = exception_document(message, "WorkerLost", json::array(), {});
        } else if (retry_safe && attempt < max_attempts) {
            decided = JobStatus::scheduled;
        } else {
            decided = JobStatus::exception;
            std::string message =
                why + (retry_safe ? "; no attempts left"
                                  : "; job kind " + kind + " is not safe to run again, so it was not retried");
            d["exception"] = exception_document(message, "WorkerLost", json::array(), {});
        }
        d["status"] = decided;
        spdlog::warn("job {}: {} -> {}", id, why, to_string(decided));
        decisions.push_back(std::move(d));
        (decided == JobStatus::scheduled ? retried : ended).push_back(id);
        if (decided != JobStatus::scheduled) abnormal.push_back({{id, attempt}, lost.scheduled_by.value_or("")});
    }
    std::size_t rescued = 0;
    if (!decisions.empty()) {
        auto rows = store::sql::maintenance::rescue(
            tx, {.decisions = sqlgen::JsonText::raw(devices::storable_json(decisions))});
        rescued = rows.size();
        // Recovery jobs (and the locks they inherit) in this transaction:
        // a device a dead worker left half changed is never left unattended.
        std::set<std::int64_t> done;
        for (auto& r : rows) done.insert(r.id);
        std::erase_if(abnormal, [&](const AbnormalEnd& a) { return !done.count(a.job.id); });
        schedule_recoveries(tx, core.registry, core.settings, abnormal);
        locks::release_for_jobs(tx, ended);
        // A retried job keeps its locks for its next attempt (a confirm
        // never gives up the devices its sync handed it).
        locks::carry_to_retry(tx, retried);
    }
    for (auto& stale : locks::release_stale(tx)) spdlog::warn("released lock {}: its job is not running", stale);
    tx.commit();
    core.counters.rescued += rescued;
    return rescued;
}

}  // namespace switchyard::engine
