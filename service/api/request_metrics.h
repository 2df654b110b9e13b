// HTTP requests counted by route and status code, for /metrics.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace switchyard::api {

class RequestMetrics {
public:
    void count(const std::string& route, int status) {
        std::lock_guard lock(mutex_);
        ++counts_[{route, status}];
    }
    std::map<std::pair<std::string, int>, unsigned long> snapshot() const {
        std::lock_guard lock(mutex_);
        return counts_;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, unsigned long> counts_;
};

}  // namespace switchyard::api
