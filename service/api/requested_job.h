// A job a request schedules (POST /device_backup, /device/<hostname>/
// apply_config ...): scheduled by the token's subject, with the labels the
// client wrote, enqueued in a transaction of its own. What the engine
// refuses (arguments the kind's check refuses, a bad priority) is the
// client's request: BadRequest with the engine's words.
#pragma once

#include "api_context.h"
#include "auth.h"
#include "job_labels.h"

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <string>

namespace switchyard::api {

// The new job's id.
std::int64_t enqueue_requested_job(ApiContext& ctx, pqxx::connection& conn, const std::string& function_name,
                                   nlohmann::json args, const Principal& who, const JobLabels& labels);

}  // namespace switchyard::api
