// The per-device job_tasks lists of a job in CNaaS-NMS's shape
// (result.devices.<hostname>.job_tasks, as tasks/sync_devices.cpp writes
// them): what filter_jobresult trims and where GET /job/<id> puts a job's
// texts back (job_document_stream.cpp). A job whose result has another
// shape has none.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace switchyard::api {

// What filter_jobresult removes, for sync_devices jobs only, as CNaaS-NMS
// (src/cnaas_nms/api/jobs.py filter_job_dict): each device's job_tasks entry
// "Generate device config" (config) and "Sync device config" (diff), whole.
// CNaaS-NMS deletes them by position (1 and 2); ours are found by name, so a
// device whose list is shorter loses nothing else.
struct ResultOmissions {
    bool config = false;
    bool diff = false;

    bool any() const { return config || diff; }
    // Whether a job of this function_name is trimmed at all.
    static bool applies_to(const nlohmann::json& job) {
        auto name = job.find("function_name");
        return name != job.end() && name->is_string() &&
               name->get_ref<const std::string&>().rfind("sync_devices", 0) == 0;
    }
    // Trims one device's entry (result.devices.<hostname>).
    void apply_to_device(nlohmann::json& device) const {
        if (!any() || !device.is_object()) return;
        auto tasks = device.find("job_tasks");
        if (tasks == device.end() || !tasks->is_array()) return;
        nlohmann::json kept = nlohmann::json::array();
        for (auto& task : *tasks) {
            std::string name = task.is_object() ? task.value("task_name", "") : "";
            if ((config && name == "Generate device config") || (diff && name == "Sync device config")) continue;
            kept.push_back(std::move(task));
        }
        *tasks = std::move(kept);
    }
};

// Calls f(device) with each device's entry of a job's result
// (result.devices.<hostname>), in the order they are serialised (by
// hostname).
template <typename F>
void for_each_result_device(nlohmann::json& job, F&& f) {
    if (!job.is_object()) return;
    auto result = job.find("result");
    if (result == job.end() || !result->is_object()) return;
    auto devices = result->find("devices");
    if (devices == result->end() || !devices->is_object()) return;
    for (auto& device : *devices) f(device);
}

// Calls f(task) with each object of one device entry's job_tasks.
template <typename F>
void for_each_device_task(nlohmann::json& device, F&& f) {
    if (!device.is_object()) return;
    auto tasks = device.find("job_tasks");
    if (tasks == device.end() || !tasks->is_array()) return;
    for (auto& task : *tasks)
        if (task.is_object()) f(task);
}

}  // namespace switchyard::api
