// This process's own upkeep, on a connection of its own: aborts and suspends
// asked for its jobs (each heartbeat interval), job timeouts, and batched
// progress writes (finished_devices at most every jobs.progress_flush_ms).
// The lease itself is renewed elsewhere (heartbeat.h), so that none of this
// can delay it.
#pragma once

#include "engine_core.h"

namespace switchyard::engine {

void run_housekeeper(EngineCore& core);

}  // namespace switchyard::engine
