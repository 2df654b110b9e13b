#include "schedule.h"

#include <deque>
#include <stdexcept>

namespace switchyard::engine {

using namespace std::chrono;

std::string_view to_string(MissedTicks missed) { return missed == MissedTicks::skip ? "skip" : "run_once"; }

std::optional<MissedTicks> missed_ticks_from_string(std::string_view name) {
    if (name == "run_once") return MissedTicks::run_once;
    if (name == "skip") return MissedTicks::skip;
    return std::nullopt;
}

ScheduleTiming ScheduleTiming::cron(const std::string& expression, const std::string& time_zone) {
    ScheduleTiming t;
    t.cron_ = CronExpression::parse(expression);
    t.zone_ = find_time_zone(time_zone);
    if (!t.cron_->next_after(floor<seconds>(system_clock::now()), t.zone_))
        throw std::invalid_argument("cron expression '" + expression + "' never fires");
    return t;
}

ScheduleTiming ScheduleTiming::every(int seconds, SysSeconds anchor) {
    if (seconds < 1 || seconds > 366 * 86400) throw std::invalid_argument("an interval must be 1 second to 366 days");
    ScheduleTiming t;
    t.interval_ = std::chrono::seconds(seconds);
    t.anchor_ = anchor;
    return t;
}

SysSeconds ScheduleTiming::next_after(SysSeconds after) const {
    if (cron_) {
        auto next = cron_->next_after(after, zone_);
        if (!next) throw std::runtime_error("cron expression '" + cron_->text() + "' no longer fires");
        return *next;
    }
    if (after < anchor_) return anchor_;
    auto periods = (after - anchor_) / interval_ + 1;
    return anchor_ + periods * interval_;
}

TickPlan plan_ticks(const ScheduleTiming& timing, MissedTicks missed, SysSeconds next_run_at, SysSeconds now,
                    std::chrono::seconds grace, std::size_t max_jobs) {
    TickPlan plan;
    SysSeconds on_time_from = now - grace;
    SysSeconds t = next_run_at;
    if (t < on_time_from) {
        // Missed ticks: counted only as far as needed, never one by one
        // across a long outage.
        SysSeconds first_on_time = timing.next_after(on_time_from - seconds(1));
        if (missed == MissedTicks::run_once) plan.missed = t;
        else plan.skipped = true;
        t = first_on_time;
    }
    std::deque<SysSeconds> ticks;
    while (t <= now) {
        ticks.push_back(t);
        if (ticks.size() > max_jobs) {
            ticks.pop_front();
            plan.skipped = true;
        }
        t = timing.next_after(t);
    }
    plan.on_time.assign(ticks.begin(), ticks.end());
    plan.next_run_at = t;
    return plan;
}

}  // namespace switchyard::engine
