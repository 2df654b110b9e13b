// Maintenance services, run by exactly one process at a time: the leader,
// elected through the database (table leaders, a lease renewed every round).
//   rescuer    ends or retries jobs whose worker died, frees their locks
//   scheduler  wakes workers when scheduled jobs and retries come due, and
//              enqueues each due tick of the schedules (schedule_ticks.cpp)
//   cleaner    deletes ended jobs past their retention
//   hooks      what owners registered (tasks::TaskRegistry::add_maintenance)
#pragma once

#include "engine_core.h"

namespace switchyard::engine {

void run_maintenance(EngineCore& core);

// Each service, one round; exposed for tests. They run inside their own
// transactions on `conn`.
std::size_t rescue_lost_jobs(EngineCore& core, pqxx::connection& conn);
std::size_t wake_due_queues(EngineCore& core, pqxx::connection& conn);
// The jobs enqueued for schedule ticks that came due.
std::size_t enqueue_schedule_ticks(EngineCore& core, pqxx::connection& conn);
std::size_t clean_old_jobs(EngineCore& core, pqxx::connection& conn);

}  // namespace switchyard::engine
