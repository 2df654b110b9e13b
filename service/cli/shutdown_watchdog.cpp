#include "shutdown_watchdog.h"

#include <spdlog/spdlog.h>
#include <cstdio>
#include <cstdlib>

namespace switchyard::cli {

ShutdownWatchdog::ShutdownWatchdog(std::chrono::seconds limit, int exit_code) {
    thread_ = std::thread([this, limit, exit_code] {
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, limit, [&] { return disarmed_; })) return;
        spdlog::critical(
            "shutdown is still not done {} s after it began; exiting now. Jobs still running are left "
            "to the rescuer of another worker (or of this one's next start)",
            limit.count());
        spdlog::default_logger()->flush();
        std::fflush(nullptr);
        // Not exit(): static destructors would race the threads still stuck.
        std::_Exit(exit_code);
    });
}

ShutdownWatchdog::~ShutdownWatchdog() {
    {
        std::lock_guard lock(mutex_);
        disarmed_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

}  // namespace switchyard::cli
