#include "job_types.h"

namespace switchyard::engine {

using nlohmann::json;

json describe_job_types(const tasks::TaskRegistry& registry, const Settings& settings) {
    json out = json::array();
    for (auto& name : registry.names()) {
        const tasks::TaskKind& k = *registry.find(name);
        json type = {{"function_name", name},
                     {"description", k.description},
                     {"arguments", k.arguments_schema},
                     {"queue", k.queue},
                     {"default_timeout_seconds", k.default_timeout_seconds.value_or(
                                                     static_cast<int>(settings.jobs.default_timeout_seconds.count()))},
                     // Without a kind's own timeout, a job that sets none gets its
                     // duration estimate x jobs.estimate_timeout_factor once
                     // enough jobs of the kind have finished.
                     {"timeout_from_estimate", !k.default_timeout_seconds.has_value()},
                     {"default_max_attempts", k.default_max_attempts},
                     {"retry_safe", k.retry_safe},
                     {"locks", k.locks},
                     {"device_job", static_cast<bool>(k.device_count)}};
        // A default that is a setting shows as this process has it set.
        if (k.configured_default_args && type["arguments"].contains("properties")) {
            const json configured = k.configured_default_args();
            for (auto& [key, value] : configured.items())
                if (type["arguments"]["properties"].contains(key))
                    type["arguments"]["properties"][key]["default"] = value;
        }
        // A shown name (sync_devices (dry_run)): the kind run with the
        // arguments the name implies, under that name's own rules.
        for (auto& shown : k.shown_as) {
            if (shown.name != name) continue;
            type["kind"] = k.function_name;
            type["implied_arguments"] = shown.implied_args;
            type["description"] = shown.description;
            type["default_max_attempts"] = shown.default_max_attempts;
            type["retry_safe"] = shown.retry_safe;
            type["locks"] = shown.locks;
        }
        out.push_back(std::move(type));
    }
    return out;
}

}  // namespace switchyard::engine
