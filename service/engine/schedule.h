// When a schedule fires, and what a leader's round does about the ticks that
// came due: pure functions, unit-tested (tests/service/schedule_test.cpp).
#pragma once

#include "cron_expression.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::engine {

// Ticks that came due while nothing enqueued them (every process stopped,
// the schedule's leader lost) for longer than the misfire grace:
//   run_once  one job stands for all of them (then the schedule goes on)
//   skip      they are dropped
enum class MissedTicks { run_once, skip };

std::string_view to_string(MissedTicks missed);
// "run_once" or "skip"; nullopt for anything else.
std::optional<MissedTicks> missed_ticks_from_string(std::string_view name);

// A cron expression in a time zone, or every N seconds from an anchor.
class ScheduleTiming {
public:
    // std::invalid_argument for a bad expression, an unknown zone, or an
    // expression that never fires.
    static ScheduleTiming cron(const std::string& expression, const std::string& time_zone);
    // std::invalid_argument unless 1 <= seconds <= 366 days.
    static ScheduleTiming every(int seconds, SysSeconds anchor);

    // The first tick strictly after `after`.
    SysSeconds next_after(SysSeconds after) const;

private:
    std::optional<CronExpression> cron_;
    const date::time_zone* zone_ = nullptr;
    std::chrono::seconds interval_{0};
    SysSeconds anchor_{};
};

// What one round enqueues for a due schedule.
struct TickPlan {
    std::vector<SysSeconds> on_time;   // each becomes a job
    std::optional<SysSeconds> missed;  // run_once: the first missed tick, one job for all
    bool skipped = false;              // some ticks get no job (skip, or more than max_jobs on time)
    SysSeconds next_run_at{};          // the first tick after `now`
};

// The schedule's next tick was `next_run_at` (<= now). Ticks within `grace`
// of now are on time, each its own job (a leader a few rounds late, or one
// that took over from a dead one, still enqueues every tick); older ones are
// missed. At most `max_jobs` on-time ticks (the newest ones) get jobs.
TickPlan plan_ticks(const ScheduleTiming& timing, MissedTicks missed, SysSeconds next_run_at, SysSeconds now,
                    std::chrono::seconds grace, std::size_t max_jobs);

}  // namespace switchyard::engine
