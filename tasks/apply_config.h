// apply_config: restores a record of a device's config history to it (see
// apply_config.cpp). Registered by register_sync_tasks.
#pragma once

#include "sync_environment.h"

namespace switchyard::tasks {

void register_apply_config_task(TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
