// The job type catalogue (GET /job_types, `switchyard jobs types`): each
// kind this process runs, what it does, its arguments as a JSON schema, its
// defaults, whether it is safe to run again and the locks it takes.
#pragma once

#include "settings.h"
#include "tasks/task_registry.h"

#include <nlohmann/json.hpp>

namespace switchyard::engine {

// [{"function_name", "description", "arguments", "queue", "default_timeout_seconds",
//   "timeout_from_estimate", "default_max_attempts", "retry_safe", "locks", "device_job"}], kinds then
// shown names (registry.names()); a shown name also has "kind" and "implied_arguments".
nlohmann::json describe_job_types(const tasks::TaskRegistry& registry, const Settings& settings);

}  // namespace switchyard::engine
