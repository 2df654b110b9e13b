#include "device_job_catalog.h"

#include "devices/confirm_mode.h"
#include "devices/device_selector.h"
#include "rollout.h"

#include <stdexcept>

namespace switchyard::tasks {

using nlohmann::json;

namespace {

json hostnames_schema() {
    return {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"minItems", 1},
            {"description", "the devices, by hostname"}};
}

// A device selector (devices/device_selector.h) as a schema.
json selector_schema() {
    return {{"type", "object"},
            {"description",
             "one selector: hostnames (a selection made already; wins over the others), hostname, device_type, "
             "group or all: true"},
            {"properties",
             {{"hostnames", hostnames_schema()},
              {"hostname", {{"type", "string"}}},
              {"device_type", {{"type", "string"}, {"enum", {"ACCESS", "DIST", "CORE", "UNKNOWN"}}}},
              {"group", {{"type", "string"}}},
              {"all", {{"type", "boolean"}}}}}};
}

// tasks/rollout.h decides; this describes.
json rollout_schema() {
    json share_pattern = {{"type", "string"}, {"pattern", "^[0-9]{1,3}%$"}};
    return {{"type", "object"},
            {"description",
             "a live run only (dry_run false; confirm_mode 0 or 1): push the devices with a change in batches, in "
             "hostname order, and stop before the next batch once more than max_failed of them failed (the devices "
             "left are reported 'not started'; the job ends EXCEPTION). PUT /job/<id> {\"action\": \"SUSPEND\"} "
             "or RESUME pauses and resumes it between batches, keeping its locks"},
            {"required", {"batches"}},
            {"additionalProperties", false},
            {"properties",
             {{"batches",
               {{"type", "array"},
                {"minItems", 1},
                {"maxItems", kMaxRolloutBatchEntries},
                {"items", {{"oneOf", {{{"type", "integer"}, {"minimum", 1}}, share_pattern, {{"const", "rest"}}}}}},
                {"description",
                 "batch sizes: a count, \"N%\" of the devices to push (1-100, rounded up) or "
                 "\"rest\" (last only); without \"rest\" the last size repeats"}}},
              {"max_failed",
               {{"oneOf", {{{"type", "integer"}, {"minimum", 0}}, share_pattern}},
                {"default", 0},
                {"description",
                 "devices that may fail their push (a count, or \"N%\" of the devices to push, "
                 "rounded down) before no further batch starts"}}},
              {"pause_seconds",
               {{"type", "integer"},
                {"minimum", 0},
                {"maximum", kMaxRolloutPauseSeconds},
                {"default", 0},
                {"description", "wait between two batches"}}},
              {"pause_after_first",
               {{"type", "boolean"},
                {"default", false},
                {"description", "suspend after the first batch until PUT /job/<id> {\"action\": \"RESUME\"}"}}}}}};
}

}  // namespace

json sync_devices_arguments_schema() {
    json schema = selector_schema();
    schema["properties"].update(
        {{"resync",
          {{"type", "boolean"},
           {"default", false},
           {"description", "also devices already synchronized (type, group, all)"}}},
         {"dry_run", {{"type", "boolean"}, {"default", true}}},
         {"force",
          {{"type", "boolean"},
           {"default", false},
           {"description", "sync devices whose running config changed outside Switchyard"}}},
         {"auto_push", {{"type", "boolean"}, {"default", false}}},
         {"confirm_mode",
          {{"type", "integer"},
           {"enum", {0, 1, 2}},
           {"description", "how a live run commits: " + std::string(devices::kConfirmModeChoices) +
                               "; default: the setting sync.default_confirm_mode (1, as CNaaS-NMS), written "
                               "into the job's arguments when it is scheduled"}}},
         {"confirm_all_or_nothing",
          {{"type", "boolean"},
           {"default", false},
           {"description",
            "confirm_mode 2 only: one device failing its push or commit rolls every device back "
            "and confirms none (as CNaaS-NMS's mode 2); the job ends EXCEPTION"}}},
         {"rollout", rollout_schema()}});
    return schema;
}

json backup_configs_arguments_schema() {
    json schema = selector_schema();
    schema["description"] =
        schema["description"].get<std::string>() + "; every MANAGED device selected, synchronized or not";
    schema["additionalProperties"] = false;
    return schema;
}

json apply_config_arguments_schema() {
    return {{"type", "object"},
            {"required", {"hostname", "config_id"}},
            {"additionalProperties", false},
            {"properties",
             {{"hostname", {{"type", "string"}}},
              {"config_id",
               {{"type", "integer"},
                {"minimum", 1},
                {"description",
                 "the record of the device's config history to restore (GET "
                 "/device/<hostname>/configs); one whose text holds U+FFFD (bytes that were not "
                 "UTF-8) or secrets the device hid is refused"}}},
              {"dry_run", {{"type", "boolean"}, {"default", true}}},
              {"force",
               {{"type", "boolean"},
                {"default", false},
                {"description", "restore even when the running config changed outside Switchyard"}}},
              {"confirm_mode",
               {{"type", "integer"},
                {"enum", {0, 1}},
                {"description",
                 "how a live run commits: 0 (commit) or 1 (commit with a timer, confirm once the "
                 "device answers again); default: the setting sync.default_confirm_mode (1 where it "
                 "is 2)"}}}}}};
}

json confirm_devices_arguments_schema() {
    return {{"type", "object"},
            {"required", {"hostnames", "sync_job_id"}},
            {"properties", {{"hostnames", hostnames_schema()}, {"sync_job_id", {{"type", "integer"}}}}}};
}

std::optional<std::size_t> named_device_count(const json& args) {
    try {
        auto selector = devices::selector_from_json(args);
        if (selector.hostnames.empty()) return std::nullopt;
        return selector.hostnames.size();
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // the job itself says what is wrong when it runs
    }
}

}  // namespace switchyard::tasks
