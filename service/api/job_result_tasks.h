// The per-device job_tasks lists of a job in CNaaS-NMS's shape
// (result.devices.<hostname>.job_tasks, as tasks/sync_devices.cpp writes
// them): what filter_jobresult trims (jobs_routes.cpp) and where GET
// /job/<id> puts a job's texts back (job_texts_inline.cpp). A job whose
// result has another shape has none.
#pragma once

#include <nlohmann/json.hpp>

namespace switchyard::api {

// Calls f(job_tasks) with each device's job_tasks array, devices in the
// order they are serialised (by hostname).
template <typename F>
void for_each_job_tasks(nlohmann::json& job, F&& f) {
    if (!job.is_object()) return;
    auto result = job.find("result");
    if (result == job.end() || !result->is_object()) return;
    auto devices = result->find("devices");
    if (devices == result->end() || !devices->is_object()) return;
    for (auto& device : *devices) {
        if (!device.is_object()) continue;
        auto tasks = device.find("job_tasks");
        if (tasks != device.end() && tasks->is_array()) f(*tasks);
    }
}

}  // namespace switchyard::api
