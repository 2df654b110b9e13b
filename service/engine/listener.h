// LISTENs for the engine's notifications: due jobs wake the claimers at once
// (polling is only the fallback), and an abort reaches its running task
// without waiting for the next heartbeat.
#pragma once

#include "engine_core.h"

namespace switchyard::engine {

void run_listener(EngineCore& core);

}  // namespace switchyard::engine
