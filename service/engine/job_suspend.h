// Suspending and resuming a running job that pauses between steps (a
// rollout between its batches: PUT /job/<id> {"action": "SUSPEND"} and
// {"action": "RESUME"}). The request is stored in the job's row; the worker
// running the job reads it each heartbeat interval (housekeeper.cpp) and the task
// sees it as JobContext::suspend_requested(). The job stays RUNNING and
// keeps its locks; an abort still ends it.
#pragma once

#include "job_status.h"
#include "tasks/task_registry.h"

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

namespace switchyard::engine {

struct SuspendOutcome {
    enum class Refused { no, not_found, not_running, cannot_pause };
    Refused refused = Refused::no;
    JobStatus status = JobStatus::running;
    std::string why;       // cannot_pause: what the job's kind says
    bool changed = false;  // false: it already was as asked
};

// Suspends (`suspend` true) or resumes job `id` for `by`: only a RUNNING job
// whose kind says it can pause with its arguments (TaskKind::why_not_pausable).
SuspendOutcome suspend_job(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, std::int64_t id,
                           bool suspend, const std::string& by);

}  // namespace switchyard::engine
