// Schedules as operators and the API see them: create, read, change, delete
// (table schedules). The leader's side is schedule_ticks.cpp.
#pragma once

#include "schedule.h"
#include "settings.h"
#include "tasks/task_registry.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace switchyard::engine {

struct ScheduleDefinition {
    std::string name;
    std::string function_name;
    nlohmann::json arguments = nlohmann::json::object();
    std::optional<std::string> cron;  // either a cron expression (in time_zone) ...
    std::string time_zone = "UTC";
    std::optional<int> interval_seconds;  // ... or a fixed interval
    MissedTicks missed = MissedTicks::run_once;
    bool enabled = true;
    std::optional<int> priority;  // empty: the engine's default
    std::string comment;
};

// std::invalid_argument with a message for the operator: a name of 1-200
// characters, a kind this process knows whose queue is served, arguments
// that are an object, exactly one of cron and interval_seconds, a valid
// expression and zone, priority 1-10.
void validate_schedule(const ScheduleDefinition& s, const tasks::TaskRegistry& registry, const Settings& settings);

// The new schedule's id; nullopt when the name is taken. Validates first.
std::optional<std::int64_t> create_schedule(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry,
                                            const Settings& settings, const ScheduleDefinition& s,
                                            const std::string& created_by);

// As the API shows them (next_run_at, last_run_at, last_job_id, last_error ...).
nlohmann::json list_schedules(pqxx::transaction_base& tx);
std::optional<nlohmann::json> get_schedule(pqxx::transaction_base& tx, std::int64_t id);

// Applies `change` to the stored definition, validates and writes it; false
// when there is no such schedule. A new timing, or enabling a disabled
// schedule, starts from the next tick after now: the time it was off is not
// made up for. std::invalid_argument as validate_schedule, or for a name
// another schedule has (then `tx` has failed: abort it).
bool update_schedule(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                     std::int64_t id, const std::function<void(ScheduleDefinition&)>& change);

// False when there was no such schedule. Jobs it enqueued stay.
bool delete_schedule(pqxx::transaction_base& tx, std::int64_t id);

// The timing of a validated definition (interval schedules tick from `anchor`).
ScheduleTiming schedule_timing(const ScheduleDefinition& s, SysSeconds anchor);

}  // namespace switchyard::engine
