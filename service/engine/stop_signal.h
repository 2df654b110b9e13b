// A stop flag that sleeping threads can wait on, so shutdown never waits for
// a sleep to run out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace switchyard::engine {

class StopSignal {
public:
    void request() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        cv_.notify_all();
    }
    bool requested() const {
        std::lock_guard lock(mutex_);
        return stopped_;
    }
    // Sleeps up to `d`; true when stop was requested.
    template <typename Duration>
    bool wait_for(Duration d) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, d, [&] { return stopped_; });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool stopped_ = false;
};

}  // namespace switchyard::engine
