#include "job_texts_inline.h"

#include "devices/job_texts.h"
#include "devices/secret_masker.h"

#include <vector>

namespace switchyard::api {

using nlohmann::json;

namespace {

// Calls f(task) for every job_tasks entry of every device of the result.
template <typename F>
void for_each_task(json& job, F&& f) {
    if (!job.is_object() || !job.contains("result")) return;
    auto& result = job["result"];
    if (!result.is_object() || !result.contains("devices") || !result["devices"].is_object()) return;
    for (auto& [host, device] : result["devices"].items()) {
        if (!device.is_object() || !device.contains("job_tasks") || !device["job_tasks"].is_array()) continue;
        for (auto& task : device["job_tasks"])
            if (task.is_object()) f(task);
    }
}

bool has_id(const json& task, const char* field) {
    return task.contains(field) && task[field].is_number_integer();
}

}  // namespace

void inline_job_texts(pqxx::connection& conn, json& job) {
    if (!job.is_object() || !job.contains("id") || !job["id"].is_number_integer()) return;
    std::vector<std::int64_t> ids;
    for_each_task(job, [&](json& task) {
        for (const char* field : {"config_id", "diff_id"})
            if (has_id(task, field)) ids.push_back(task[field].get<std::int64_t>());
    });
    if (ids.empty()) return;
    auto texts = devices::JobTexts(conn).texts(job["id"].get<std::int64_t>(), ids);
    for_each_task(job, [&](json& task) {
        if (has_id(task, "config_id")) {
            auto it = texts.find(task["config_id"].get<std::int64_t>());
            if (it != texts.end()) task["result"] = devices::safe_text(it->second);
        }
        if (has_id(task, "diff_id")) {
            auto it = texts.find(task["diff_id"].get<std::int64_t>());
            if (it != texts.end()) task["diff"] = devices::safe_text(it->second);
        }
    });
}

}  // namespace switchyard::api
