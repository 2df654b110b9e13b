// confirm_devices: the second half of a confirm_mode 2 sync (see
// confirm_devices.cpp). Registered by register_sync_tasks.
#pragma once

#include "sync_environment.h"

namespace switchyard::tasks {

void register_confirm_task(TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
