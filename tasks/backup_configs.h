// backup_configs: the running config of devices into their config history
// (see backup_configs.cpp). Registered by register_sync_tasks.
#pragma once

#include "sync_environment.h"

namespace switchyard::tasks {

void register_backup_task(TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
