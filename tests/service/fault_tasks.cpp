#include "fault_tasks.h"

#include <unistd.h>
#include <csignal>

namespace switchyard::testing {

void register_fault_tasks(tasks::TaskRegistry& registry) {
    registry.add({.function_name = "kill_worker",
                  .run = [](tasks::JobContext&) { kill(getpid(), SIGKILL); },
                  .retry_safe = true,
                  .default_max_attempts = 10});
}

}  // namespace switchyard::testing
