// The last guarantee of a bounded shutdown: once armed (at SIGTERM), ends the
// process if it is still shutting down after `limit`, whatever is stuck (an
// HTTP client, the database, a thread that never returns).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace switchyard::cli {

class ShutdownWatchdog {
public:
    // Exits the process with `exit_code` after `limit` unless destroyed first.
    ShutdownWatchdog(std::chrono::seconds limit, int exit_code);
    ~ShutdownWatchdog();  // disarms
    ShutdownWatchdog(const ShutdownWatchdog&) = delete;
    ShutdownWatchdog& operator=(const ShutdownWatchdog&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool disarmed_ = false;
    std::thread thread_;
};

}  // namespace switchyard::cli
