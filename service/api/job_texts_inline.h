// GET /job/<id> keeps CNaaS-NMS's shape although a sync's result holds its
// texts by reference (tasks/sync_devices.cpp, issue 16): each job_tasks entry
// naming a "config_id" gets that generated config back as its "result", each
// naming a "diff_id" its whole diff as its "diff", masked as every text that
// leaves the process. GET /jobs returns the references as stored.
#pragma once

#include <nlohmann/json.hpp>
#include <pqxx/connection>

namespace switchyard::api {

void inline_job_texts(pqxx::connection& conn, nlohmann::json& job);

}  // namespace switchyard::api
