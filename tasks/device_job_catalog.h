// What the job type catalogue (GET /job_types) and the duration estimates
// know of the device job kinds: their arguments as JSON schemas and how many
// devices a job's arguments name. Beside the kinds, not inside them: the
// schemas describe, the kinds' own parsing (devices::selector_from_json,
// parse_sync_options) decides.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>

namespace switchyard::tasks {

// sync_devices (and its shown name sync_devices (dry_run)): a device selector
// as POST /device_syncto or a schedule writes it, and the sync's options.
nlohmann::json sync_devices_arguments_schema();
// backup_configs: a device selector only (as POST /device_backup or a
// schedule writes it).
nlohmann::json backup_configs_arguments_schema();
// apply_config: one hostname, the config history record to restore, and the
// sync options that apply to it.
nlohmann::json apply_config_arguments_schema();
// confirm_devices, as a confirm_mode 2 sync schedules it.
nlohmann::json confirm_devices_arguments_schema();

// The devices a device job's selector names (hostnames, or one hostname);
// nullopt when it selects by type, group or all, or is not a valid selector.
std::optional<std::size_t> named_device_count(const nlohmann::json& args);

}  // namespace switchyard::tasks
