// The sync_devices result document, as CNaaS-NMS shapes it:
//   {"devices": {host: {"failed": bool, "job_tasks": [
//       {"task_name": "push_sync_device", "result": ..., "diff": "", "failed": bool},
//       {"task_name": "Generate device config", "result": config, "diff": "", "failed": bool},
//       {"task_name": "Sync device config", "result": message, "diff": diff, "failed": bool}]}}}
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::tasks {

struct DeviceSyncOutcome {
    bool failed = false;
    std::string config;     // intended config (secrets masked), empty when not generated
    std::string diff;       // unified diff running -> intended (secrets masked)
    std::string message;    // what happened, for an operator
    int change_score = 0;
    bool generated = false;
    bool reached = false;   // the device answered
    bool skipped = false;   // not started because the job was aborted
};

class SyncResult {
public:
    void record(const std::string& hostname, const DeviceSyncOutcome& o) {
        using nlohmann::json;
        json tasks = json::array();
        tasks.push_back({{"task_name", "push_sync_device"}, {"result", o.failed ? json(o.message) : json(nullptr)},
                         {"diff", ""}, {"failed", o.failed}});
        tasks.push_back({{"task_name", "Generate device config"},
                         {"result", o.generated ? json(o.config) : json(nullptr)}, {"diff", ""},
                         {"failed", !o.generated}});
        tasks.push_back({{"task_name", "Sync device config"}, {"result", o.message},
                         {"diff", o.diff}, {"failed", o.failed && o.generated}});
        std::lock_guard lock(mutex_);
        doc_["devices"][hostname] = {{"failed", o.failed}, {"change_score", o.change_score}, {"job_tasks", tasks}};
    }
    void set(const std::string& key, nlohmann::json value) {
        std::lock_guard lock(mutex_);
        doc_[key] = std::move(value);
    }
    nlohmann::json document() const {
        std::lock_guard lock(mutex_);
        return doc_;
    }

private:
    mutable std::mutex mutex_;
    nlohmann::json doc_ = {{"devices", nlohmann::json::object()}};
};

}  // namespace switchyard::tasks
