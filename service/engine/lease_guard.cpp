#include "lease_guard.h"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <string>

namespace switchyard::engine {

void run_lease_guard(EngineCore& core) {
    auto tick =
        std::min<std::chrono::milliseconds>(core.settings.jobs.heartbeat_interval_ms, std::chrono::milliseconds(250));
    while (!core.stop_all.wait_for(tick)) {
        if (!core.lease.failing()) continue;
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(core.lease.age()).count();
        std::string why = "this worker has had no good heartbeat for " + std::to_string(ms) +
                          " ms (half its lease of " + std::to_string(core.lease.lease().count()) +
                          " ms): another worker may take its jobs over, so its device work was stopped";
        for (auto& job : core.running.all())
            if (job->stop_devices(why)) spdlog::error("job {}: {}", job->claim().id, why);
    }
}

}  // namespace switchyard::engine
