// The lease guard: a thread of its own that stops this worker's device work
// the moment its heartbeat has been failing for half a lease.
//
// Fencing (RunningJob::fence) keeps a worker cut off from the database from
// starting a device change, but a change already under way (an FRR push of
// 1,500 lines takes a minute) would go on typing while the rescuer, a whole
// lease after the last heartbeat, declares the worker dead and its recovery
// job starts repairing the same device. The guard fires each running job's
// device_stop() and asks it to abort, half a lease before a rescuer may act,
// so the two can never type into one device at once. It touches no database
// (a heartbeat hanging on a database that does not answer must not delay
// it) and looks every heartbeat interval, at most every 250 ms.
// Internal to service/engine.
#pragma once

#include "engine_core.h"

namespace switchyard::engine {

void run_lease_guard(EngineCore& core);

}  // namespace switchyard::engine
