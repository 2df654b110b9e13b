// The leader's side of schedules: each round, the enabled schedules whose
// next tick has come are locked, each due tick becomes one job (idempotency
// key "schedule:<id>:<tick, seconds since the epoch>") and next_run_at moves
// past now, all in one transaction. Only the maintenance leader runs it; a
// second leader during a lease handover skips the locked rows, and a tick it
// sees again after a commit is no longer due (and its key is taken anyway).
#include "defaults.h"
#include "job_store.h"
#include "maintenance.h"
#include "schedule.h"
#include "store/queries.h"
#include "store/savepoint.h"

#include <date/date.h>

#include <cmath>

namespace switchyard::engine {
namespace {

using nlohmann::json;
using namespace std::chrono;

SysSeconds from_epoch(double e) { return SysSeconds(seconds(static_cast<std::int64_t>(std::floor(e)))); }

std::string iso(SysSeconds t) { return date::format("%FT%TZ", t); }

std::string tick_key(std::int64_t schedule_id, SysSeconds tick) {
    return "schedule:" + std::to_string(schedule_id) + ":" + std::to_string(tick.time_since_epoch().count());
}

}  // namespace

std::size_t enqueue_schedule_ticks(EngineCore& core, pqxx::connection& conn) {
    std::size_t enqueued = 0;
    pqxx::work tx(conn);
    for (auto& s : store::sql::schedules::due(tx, {.limit = defaults::kScheduleBatch})) {
        std::optional<std::int64_t> last_job;
        std::string error;
        SysSeconds now = from_epoch(s.now_epoch);
        SysSeconds next = now + seconds(1);
        try {
            auto timing = s.cron ? ScheduleTiming::cron(*s.cron, s.time_zone)
                                 : ScheduleTiming::every(s.interval_seconds.value_or(0), from_epoch(s.anchor_epoch));
            auto missed = missed_ticks_from_string(s.missed).value_or(MissedTicks::run_once);
            TickPlan plan =
                plan_ticks(timing, missed, from_epoch(s.next_run_epoch), now,
                           core.settings.jobs.schedule_misfire_grace_seconds, defaults::kScheduleMaxJobsPerRound);
            next = plan.next_run_at;
            auto enqueue_tick = [&](SysSeconds tick, const std::string& what) {
                // A tick that cannot be enqueued (its kind gone from this
                // build, a queue no longer served) must not undo the others.
                store::Savepoint part(tx, "schedule_tick");
                auto& sub = part.tx();
                try {
                    EnqueueRequest r;
                    r.function_name = s.function_name;
                    r.args = s.arguments;
                    r.priority = s.priority.value_or(0);
                    r.idempotency_key = tick_key(s.id, tick);
                    r.scheduled_by = "schedule:" + s.name;
                    r.comment = "schedule " + s.name + " (" + std::to_string(s.id) + "): " + what;
                    auto job = enqueue(sub, core.registry, core.settings, r);
                    sub.commit();
                    if (!job.existing) {
                        last_job = job.id;
                        ++enqueued;
                    }
                } catch (const std::exception& e) {
                    error = std::string("could not enqueue the tick of ") + iso(tick) + ": " + e.what();
                    spdlog::error("schedule {} ({}): {}", s.id, s.name, error);
                }
            };
            if (plan.missed) enqueue_tick(*plan.missed, "ticks missed since " + iso(*plan.missed) + ", run once");
            for (auto tick : plan.on_time) enqueue_tick(tick, "tick " + iso(tick));
            if (plan.skipped)
                spdlog::warn("schedule {} ({}): ticks missed before {} were skipped", s.id, s.name,
                             iso(plan.on_time.empty() ? now : plan.on_time.front()));
        } catch (const std::exception& e) {
            // Its timing no longer works (a zone gone from tzdata): say so
            // on the schedule and look again in a minute.
            error = e.what();
            next = now + minutes(1);
            spdlog::error("schedule {} ({}): {}", s.id, s.name, error);
        }
        store::sql::schedules::advance(tx, {.id = s.id,
                                            .next_run_epoch = static_cast<double>(next.time_since_epoch().count()),
                                            .last_job_id = last_job,
                                            .last_error = error.empty() ? std::nullopt : std::optional(error)});
    }
    tx.commit();
    return enqueued;
}

}  // namespace switchyard::engine
