// A job's state (the API's `status`). Inside Switchyard it is this enum; the
// names below are what the database, the API and NOTIFY payloads carry, and
// they are converted only there (to_string, job_status_from_string, JSON).
//   SCHEDULED -> RUNNING -> FINISHED | EXCEPTION
//   SCHEDULED -> ABORTED; RUNNING -> ABORTING -> ABORTED
//   RUNNING -> SCHEDULED (a retry)
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::engine {

enum class JobStatus { scheduled, running, finished, exception, aborting, aborted };

inline constexpr JobStatus kAllJobStatuses[] = {JobStatus::scheduled, JobStatus::running,  JobStatus::finished,
                                                JobStatus::exception, JobStatus::aborting, JobStatus::aborted};

// "SCHEDULED", "RUNNING", ...
std::string_view to_string(JobStatus status);
// Exact names only (the database's CHECK holds them); nullopt for anything else.
std::optional<JobStatus> job_status_from_string(std::string_view name);
// FINISHED, EXCEPTION or ABORTED: the job will not run again.
bool is_final(JobStatus status);
// "SCHEDULED, RUNNING, ..." for messages.
std::string job_status_names();

// JSON: the name as a string; an unknown name is a json::other_error.
void to_json(nlohmann::json& j, JobStatus status);
void from_json(const nlohmann::json& j, JobStatus& status);

}  // namespace switchyard::engine
