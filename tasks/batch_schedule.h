// When a job writes the batch of texts its finished devices left (SyncTexts,
// recover_devices): once the batch holds kDevices devices or kBytes of text,
// and once the interval has passed since the last attempt, so that a slow
// fleet's records still reach PostgreSQL every few seconds.
//
// After an attempt failed, only once the interval has passed: an attempt
// runs on the job's own thread and may wait the connect timeout, and with
// PostgreSQL gone a full batch stays full, so every later device done would
// try again and stall the job's progress and finished_devices meanwhile.
// Internal to tasks/.
#pragma once

#include <chrono>
#include <cstddef>

namespace switchyard::tasks {

class BatchSchedule {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kDevices = 100;
    static constexpr std::size_t kBytes = std::size_t{4} << 20;

    explicit BatchSchedule(std::chrono::milliseconds interval) : interval_(interval) {}

    // Whether a batch of `devices` devices and `bytes` bytes is to be written now.
    bool due(std::size_t devices, std::size_t bytes, Clock::time_point now = Clock::now()) const {
        const bool waited = now - last_attempt_ >= interval_;
        if (failed_) return waited;
        return devices >= kDevices || bytes >= kBytes || waited;
    }
    // An attempt starts now; then it succeeded or failed.
    void attempting(Clock::time_point now = Clock::now()) { last_attempt_ = now; }
    void succeeded() { failed_ = false; }
    void failed() { failed_ = true; }

private:
    const std::chrono::milliseconds interval_;
    // The first batch is due at once: the first device done is written then.
    Clock::time_point last_attempt_{};
    bool failed_ = false;
};

}  // namespace switchyard::tasks
