// Recovery jobs for jobs that end abnormally (tasks::RecoveryHook): asked and
// inserted in the transaction that ends them (the completer's, the rescuer's),
// so no job ends with a device half changed and nothing on its way to repair it.
#pragma once

#include "settings.h"
#include "tasks/task_registry.h"

#include <pqxx/pqxx>
#include <vector>

namespace switchyard::engine {

struct AbnormalEnd {
    tasks::EndedAbnormally job;
    std::string scheduled_by;  // passed on to its recovery job
};

// For each job the registry's recovery hooks want repaired: inserts the
// recovery job, names it in the ended job (next_job_id, result's
// "recovery_job_id") and hands it the ended attempt's locks. Call before the
// ended jobs' locks are released, in the transaction that ends them. A
// recovery that cannot be inserted does not undo the end: it is logged and
// the ended job's result says so ("recovery_error").
void schedule_recoveries(pqxx::dbtransaction& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                         const std::vector<AbnormalEnd>& ended);

}  // namespace switchyard::engine
