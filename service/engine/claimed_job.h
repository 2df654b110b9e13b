// A job attempt as the claimer took it from the database.
#pragma once

#include "devices/safe_json_text.h"
#include "job_status.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace switchyard::engine {

struct ClaimedJob {
    std::int64_t id = 0;
    std::int64_t worker_id = 0;  // the worker identity that claimed it (fences its completion)
    std::string function_name;
    std::string queue;
    int attempt = 0;
    int max_attempts = 1;
    int timeout_seconds = 0;
    nlohmann::json args;
    std::string scheduled_by;
    int priority = 0;
};

// A follow-up job asked for by a task (JobContext::schedule_next).
struct NextJob {
    std::string function_name;
    nlohmann::json args;
};

// What the completer writes for one attempt.
struct Completion {
    std::int64_t id = 0;
    std::int64_t worker_id = 0;
    int attempt = 0;
    JobStatus status = JobStatus::finished;       // finished, exception, aborted or scheduled (a retry)
    std::optional<devices::SafeJsonText> result;  // none: keep what is stored (or see result_parts)
    int result_parts = 0;                         // > 0: the result is the attempt's parts (job_result_parts)
    bool wrote_result_parts = false;              // the attempt wrote parts, of its result or not: they are dropped
    nlohmann::json exception;                     // null unless EXCEPTION
    nlohmann::json error;                         // this attempt's error entry, or null
    double retry_in_seconds = 0;
    std::string finished_devices;  // a JSON array's text; empty: keep
    std::optional<int> change_score;
    nlohmann::json progress;      // null: keep
    std::optional<NextJob> next;  // only acted on for FINISHED
    std::string scheduled_by;     // passed on to the next job
    // ABORTED: why this process stopped the job (a shutdown, the lease
    // guard). An operator's reason, stored by abort_job, is said first.
    std::string abort_reason;
};

}  // namespace switchyard::engine
