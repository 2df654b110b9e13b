// This worker's heartbeat, on a thread and a connection of its own: it renews
// the worker's lease every jobs.heartbeat_interval_ms and does nothing else.
// Internal to service/engine.
//
// Why alone: a lease lost is a running job ended EXCEPTION (WorkerLost) and
// its devices handed to a recovery. The heartbeat once shared the
// housekeeper's round with the progress flush and the suspend checks, which
// take each running job's lock; with 1,000 device threads on 2 cores those
// waits reached 9 s, and a healthy worker lost its 5 s lease in the middle of
// a sync (bench/recovery, session 18). Here nothing it waits for is shared
// with a job.
#pragma once

#include "engine_core.h"

namespace switchyard::engine {

void run_heartbeat(EngineCore& core);

}  // namespace switchyard::engine
