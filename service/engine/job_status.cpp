#include "job_status.h"

namespace switchyard::engine {

std::string_view to_string(JobStatus status) {
    switch (status) {
        case JobStatus::scheduled: return "SCHEDULED";
        case JobStatus::running: return "RUNNING";
        case JobStatus::finished: return "FINISHED";
        case JobStatus::exception: return "EXCEPTION";
        case JobStatus::aborting: return "ABORTING";
        case JobStatus::aborted: return "ABORTED";
    }
    return "UNKNOWN";
}

std::optional<JobStatus> job_status_from_string(std::string_view name) {
    for (JobStatus s : kAllJobStatuses)
        if (to_string(s) == name) return s;
    return std::nullopt;
}

bool is_final(JobStatus status) {
    return status == JobStatus::finished || status == JobStatus::exception || status == JobStatus::aborted;
}

std::string job_status_names() {
    std::string out;
    for (JobStatus s : kAllJobStatuses) out += (out.empty() ? "" : ", ") + std::string(to_string(s));
    return out;
}

void to_json(nlohmann::json& j, JobStatus status) { j = std::string(to_string(status)); }

void from_json(const nlohmann::json& j, JobStatus& status) {
    auto s = job_status_from_string(j.get<std::string>());
    if (!s) throw nlohmann::json::other_error::create(501, "unknown job status " + j.dump(), &j);
    status = *s;
}

}  // namespace switchyard::engine
