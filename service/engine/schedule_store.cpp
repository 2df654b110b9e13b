#include "schedule_store.h"

#include "defaults.h"
#include "store/queries.h"

#include <cmath>
#include <stdexcept>

namespace switchyard::engine {
namespace {

using nlohmann::json;
using namespace std::chrono;

SysSeconds now_seconds() { return floor<seconds>(system_clock::now()); }

double epoch(SysSeconds t) { return static_cast<double>(t.time_since_epoch().count()); }

SysSeconds from_epoch(double e) { return SysSeconds(seconds(static_cast<std::int64_t>(std::floor(e)))); }

std::optional<std::string> optional_text(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

ScheduleTiming schedule_timing(const ScheduleDefinition& s, SysSeconds anchor) {
    if (s.cron) return ScheduleTiming::cron(*s.cron, s.time_zone);
    return ScheduleTiming::every(*s.interval_seconds, anchor);
}

void validate_schedule(const ScheduleDefinition& s, const tasks::TaskRegistry& registry, const Settings& settings) {
    if (s.name.empty() || s.name.size() > 200)
        throw std::invalid_argument("a schedule's name must be 1-200 characters");
    const tasks::TaskKind* kind = registry.find(s.function_name);
    if (!kind) {
        std::string known;
        for (auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
        throw std::invalid_argument("unknown job kind '" + s.function_name + "' (known: " + known + ")");
    }
    if (!settings.jobs.queues.count(kind->queue))
        throw std::invalid_argument("job kind " + s.function_name + " runs on queue '" + kind->queue +
                                    "', which no worker serves (configure jobs.queues)");
    if (!s.arguments.is_object()) throw std::invalid_argument("a schedule's arguments must be a JSON object");
    if (kind->check_arguments) {
        try {
            kind->check_arguments(registry.resolve(s.function_name, s.arguments)->args);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("arguments of " + s.function_name + ": " + e.what());
        }
    }
    if (s.cron.has_value() == s.interval_seconds.has_value())
        throw std::invalid_argument("a schedule needs exactly one of cron and interval_seconds");
    if (s.interval_seconds && s.time_zone != "UTC")
        throw std::invalid_argument("time_zone applies to cron schedules only");
    if (s.priority && (*s.priority < defaults::kPriorityMin || *s.priority > defaults::kPriorityMax))
        throw std::invalid_argument("priority must be between 1 (first) and 10 (last)");
    if (s.comment.size() > 1000) throw std::invalid_argument("a schedule's comment must be at most 1000 characters");
    schedule_timing(s, now_seconds());  // throws for a bad expression, zone or interval
}

std::optional<std::int64_t> create_schedule(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry,
                                            const Settings& settings, const ScheduleDefinition& s,
                                            const std::string& created_by) {
    validate_schedule(s, registry, settings);
    SysSeconds now = now_seconds();
    SysSeconds next = schedule_timing(s, now).next_after(now);
    auto row = store::sql::schedules::create(tx, {.name = s.name,
                                                  .function_name = s.function_name,
                                                  .arguments = s.arguments,
                                                  .cron = s.cron,
                                                  .time_zone = s.time_zone,
                                                  .interval_seconds = s.interval_seconds,
                                                  .anchor_epoch = epoch(now),
                                                  .enabled = s.enabled,
                                                  .missed = std::string(to_string(s.missed)),
                                                  .priority = s.priority,
                                                  .comment = optional_text(s.comment),
                                                  .next_run_epoch = epoch(next),
                                                  .created_by = optional_text(created_by)});
    if (!row) return std::nullopt;
    return row->id;
}

json list_schedules(pqxx::transaction_base& tx) {
    json out = json::array();
    for (auto& row : store::sql::schedules::list(tx)) out.push_back(json::parse(row.document));
    return out;
}

std::optional<json> get_schedule(pqxx::transaction_base& tx, std::int64_t id) {
    auto row = store::sql::schedules::get(tx, {.id = id});
    if (!row) return std::nullopt;
    return json::parse(row->document);
}

bool update_schedule(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                     std::int64_t id, const std::function<void(ScheduleDefinition&)>& change) {
    auto row = store::sql::schedules::definition(tx, {.id = id});
    if (!row) return false;
    ScheduleDefinition before;
    before.name = row->name;
    before.function_name = row->function_name;
    before.arguments = row->arguments;
    before.cron = row->cron;
    before.time_zone = row->time_zone;
    before.interval_seconds = row->interval_seconds;
    before.missed = missed_ticks_from_string(row->missed).value_or(MissedTicks::run_once);
    before.enabled = row->enabled;
    before.priority = row->priority;
    before.comment = row->comment.value_or("");

    ScheduleDefinition after = before;
    change(after);
    validate_schedule(after, registry, settings);

    SysSeconds now = now_seconds();
    SysSeconds anchor = from_epoch(row->anchor_epoch);
    SysSeconds next = from_epoch(row->next_run_epoch);
    bool new_timing = after.cron != before.cron || after.time_zone != before.time_zone ||
                      after.interval_seconds != before.interval_seconds;
    if (new_timing || (after.enabled && !before.enabled)) {
        if (after.interval_seconds != before.interval_seconds) anchor = now;
        next = schedule_timing(after, anchor).next_after(now);
    }
    // A name taken is the unique constraint's to say: a look first would
    // miss a rename or create committed in between (then a 500).
    try {
        store::sql::schedules::update(tx, {.id = id,
                                           .name = after.name,
                                           .function_name = after.function_name,
                                           .arguments = after.arguments,
                                           .cron = after.cron,
                                           .time_zone = after.time_zone,
                                           .interval_seconds = after.interval_seconds,
                                           .anchor_epoch = epoch(anchor),
                                           .enabled = after.enabled,
                                           .missed = std::string(to_string(after.missed)),
                                           .priority = after.priority,
                                           .comment = optional_text(after.comment),
                                           .next_run_epoch = epoch(next)});
    } catch (const pqxx::unique_violation&) {
        throw std::invalid_argument("another schedule is called '" + after.name + "'");
    }
    return true;
}

bool delete_schedule(pqxx::transaction_base& tx, std::int64_t id) {
    return store::sql::schedules::remove(tx, {.id = id}) > 0;
}

}  // namespace switchyard::engine
