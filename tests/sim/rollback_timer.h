// Fires pending commit-confirm rollbacks (eos commit timer, junos commit
// confirmed) on their own, whether or not any session is connected.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "device.h"

namespace sim {

class RollbackTimer {
public:
    explicit RollbackTimer(const std::vector<std::unique_ptr<Device>>& devices);
    ~RollbackTimer();
    RollbackTimer(const RollbackTimer&) = delete;
    RollbackTimer& operator=(const RollbackTimer&) = delete;

    // Applies every expired rollback now; returns how many fired.
    static int fire_expired(const std::vector<std::unique_ptr<Device>>& devices);

private:
    const std::vector<std::unique_ptr<Device>>& devices_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace sim
