#include "job_suspend.h"

#include "store/queries.h"

namespace switchyard::engine {

SuspendOutcome suspend_job(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, std::int64_t id,
                           bool suspend, const std::string& by) {
    using Refused = SuspendOutcome::Refused;
    SuspendOutcome out;
    auto row = store::sql::jobs::suspend_target(tx, {.id = id});
    if (!row) {
        out.refused = Refused::not_found;
        return out;
    }
    out.status = job_status_from_string(row->status).value_or(JobStatus::exception);
    if (out.status != JobStatus::running) {
        out.refused = Refused::not_running;
        return out;
    }
    const auto* kind = registry.find(row->function_name);
    out.why = !kind                     ? "its kind is not served here"
              : !kind->why_not_pausable ? row->function_name + " jobs do not pause between steps"
                                        : kind->why_not_pausable(row->start_arguments);
    if (!out.why.empty()) {
        out.refused = Refused::cannot_pause;
        return out;
    }
    if (row->suspend_requested == suspend) return out;
    store::sql::jobs::set_suspend_requested(tx, {.id = id, .suspend = suspend, .by = by});
    out.changed = true;
    return out;
}

}  // namespace switchyard::engine
