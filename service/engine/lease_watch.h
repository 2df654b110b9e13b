// How fresh this worker's lease is, as its own heartbeat saw it. The rescuer
// declares a worker dead once its heartbeat is a whole lease old; a running
// attempt starts no device change once its worker's last good heartbeat is
// half a lease old (fencing), so a worker cut off from the database stops
// changing devices before another worker can take its jobs and their locks.
// Internal to service/engine.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>

namespace switchyard::engine {

class LeaseWatch {
public:
    using Clock = std::chrono::steady_clock;

    // A heartbeat every `interval`: one not yet due is not a failing one.
    LeaseWatch(std::chrono::milliseconds lease, std::chrono::milliseconds interval)
        : lease_(lease), limit_(std::max<std::chrono::milliseconds>(lease / 2, 2 * interval)) {
        renewed();
    }

    // A heartbeat (or a new registration) sent at `sent` succeeded.
    void renewed(Clock::time_point sent = Clock::now()) {
        last_ns_.store(sent.time_since_epoch().count(), std::memory_order_relaxed);
    }
    Clock::duration age() const {
        return Clock::now().time_since_epoch() - Clock::duration(last_ns_.load(std::memory_order_relaxed));
    }
    std::chrono::milliseconds lease() const { return lease_; }
    // Half the lease has passed without a good heartbeat (settings keep two
    // heartbeat intervals within that half; the max() below only guards a
    // LeaseWatch built without them).
    bool failing() const { return age() > limit_; }
    std::chrono::milliseconds limit() const { return limit_; }

private:
    std::chrono::milliseconds lease_;
    std::chrono::milliseconds limit_;
    std::atomic<Clock::rep> last_ns_{0};
};

}  // namespace switchyard::engine
