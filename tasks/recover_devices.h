// recover_devices: the recovery of a job that ended abnormally mid-change.
// Internal to tasks/ (registered by register_sync_tasks).
#pragma once

#include "sync_environment.h"

namespace switchyard::tasks {

// Registers the kind and the recovery hook that schedules it for a job that
// ends abnormally with change journal entries open.
void register_recover_task(class TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
