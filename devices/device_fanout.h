// Runs one function per device, at most `concurrency` at a time, each under
// a deadline, retrying transient failures (TransientError: refused or reset
// before any command was sent) with a doubling backoff.
//
// Not a thread pool: each device gets a thread of its own for its whole
// turn (so a device that ignores its stop token holds only its own thread,
// and its slot goes to the next device). Named DeviceFanout (it was
// FanoutPool, issue 15's "names that say something else").
//
// Devices are started (and their deadlines kept) by a dispatching thread of
// the fan-out's own, while on_done runs on the caller's: a slow on_done (a
// sync writing a batch of texts) does not leave slots empty meanwhile.
//
// Each device's turn allocates on its own thread, so the fan-out hands
// the freed heap back to the system as devices finish (memory bounded by
// the devices in flight, not by the fleet: issue 16).
//
// Deadlines are enforced by the fan-out, not by trusting the function: when a
// device passes its deadline its stop token fires (SshSession shuts its
// socket down, so libssh returns at once), its outcome is recorded as timed
// out and its slot goes to the next device. A function that ignores the stop
// token keeps its thread until it returns; run() waits for those threads
// before returning so nothing outlives the caller's data, but no other device
// waits for them.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "devices/defaults.h"

namespace switchyard::devices {

struct FanoutOptions {
    std::size_t concurrency = defaults::kConcurrency;
    std::chrono::milliseconds deadline = defaults::kDeviceDeadline;  // per device, all attempts included
    int max_attempts = defaults::kMaxAttempts;
    std::chrono::milliseconds retry_backoff = defaults::kRetryBackoff;  // before the 2nd attempt; doubles
};

// Handed to the per-device function.
struct DeviceContext {
    std::stop_token stop;  // fires at the deadline or when the whole run is stopped
    std::chrono::steady_clock::time_point deadline;
    int attempt = 1;
};

struct DeviceOutcome {
    bool ok = false;
    std::string error;  // the exception's message; empty when ok
    int attempts = 0;
    std::chrono::milliseconds duration{0};
    bool timed_out = false;
    bool started = true;  // false when the run was stopped before this device began
};

class DeviceFanout {
public:
    using Task = std::function<void(std::size_t index, DeviceContext& ctx)>;
    using OnDone = std::function<void(std::size_t index, const DeviceOutcome& outcome)>;

    explicit DeviceFanout(FanoutOptions options = {});

    // Calls task(i, ctx) for every device i in [0, count). A task fails by
    // throwing. on_done is called once per device, from the calling thread,
    // as outcomes arrive; the outcome is gone once it returns, so the
    // fan-out holds state only for the devices in flight or waiting for
    // on_done, not for the fleet (issue 16). A stop request on `cancel`
    // starts no further devices; running ones get their stop token fired.
    void run(std::size_t count, const Task& task, const OnDone& on_done, std::stop_token cancel = {});

    // run(), keeping every outcome: index i is device i's. For a few
    // devices (one device's read for the API, tests), not for a fleet.
    std::vector<DeviceOutcome> collect(std::size_t count, const Task& task, std::stop_token cancel = {});

    // Most devices in flight at once during the last run.
    std::size_t peak_in_flight() const { return peak_; }
    // Most devices whose state the last run held at once: in flight,
    // waiting for on_done, or past their deadline with their thread still
    // winding down.
    std::size_t peak_held() const { return peak_held_; }

private:
    FanoutOptions options_;
    std::size_t peak_ = 0;
    std::size_t peak_held_ = 0;
};

}  // namespace switchyard::devices
