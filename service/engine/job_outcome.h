// How an attempt's end becomes a job state: finished, retried with backoff,
// failed, aborted or timed out. Pure functions, unit-tested.
#pragma once

#include "claimed_job.h"

#include <chrono>
#include <exception>
#include <random>
#include <string>

namespace switchyard::engine {

struct BackoffPolicy {
    std::chrono::milliseconds base;
    std::chrono::seconds max;
    double jitter;  // 0.2 = +-20 %
};

// Delay before attempt `attempt + 1` after attempt `attempt` failed:
// base * 2^(attempt-1), capped, with jitter so retries of many jobs spread out.
double retry_delay_seconds(int attempt, const BackoffPolicy& policy, std::mt19937_64& random);

// How the task's run ended.
struct AttemptEnd {
    std::exception_ptr error;  // null: the task returned
    bool abort_requested = false;
    bool timed_out = false;
    std::string abort_reason;
};

// The completion to write for `job`, given how its attempt ended. The caller
// fills in result and progress fields it holds.
Completion decide_completion(const ClaimedJob& job, const AttemptEnd& end, const BackoffPolicy& policy,
                             std::mt19937_64& random);

// What is written instead of `refused` when the database would not store it
// (e.g. a result it cannot hold): the job ends EXCEPTION with `reason`,
// keeping the result, progress and devices stored before; no next job.
Completion unstorable_outcome(const Completion& refused, const std::string& reason);

// {"message", "type", "args", "traceback"} for an exception (CNaaS-NMS's shape).
// The traceback lists nested exceptions, outermost first, and where it ran.
nlohmann::json describe_exception(std::exception_ptr error, const ClaimedJob& job);

// The same shape from its parts: the traceback is one string, its lines
// joined by newlines, as CNaaS-NMS stores Python's formatted traceback
// (src/cnaas_nms/db/job.py finish_exception) and its front end shows it
// (cnaas-front src/components/JobList/JobDetails.js: traceback: PropTypes.string).
nlohmann::json exception_document(const std::string& message, const std::string& type, nlohmann::json args,
                                  const std::vector<std::string>& traceback);

}  // namespace switchyard::engine
