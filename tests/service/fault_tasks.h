// Job kinds that break their worker, for tests of what the engine does about
// them. Built only into the test binary switchyard-faulty (service/main.cpp
// with SWITCHYARD_FAULT_TASKS), never into switchyard itself.
#pragma once

#include "tasks/task_registry.h"

namespace switchyard::testing {

// kill_worker: kills its own process (SIGKILL), as a crash in a task would
// (a stack overflow, an abort). Declared retry-safe with 10 attempts, so
// only the engine's rule about workers dying twice stops it.
void register_fault_tasks(tasks::TaskRegistry& registry);

}  // namespace switchyard::testing
