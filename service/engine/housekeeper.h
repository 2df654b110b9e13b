// This process's own upkeep, on a connection of its own: heartbeats that keep
// its worker lease, aborts asked for its jobs, job timeouts, and batched
// progress writes (finished_devices at most every jobs.progress_flush_ms).
#pragma once

#include "engine_core.h"

namespace switchyard::engine {

void run_housekeeper(EngineCore& core);

}  // namespace switchyard::engine
