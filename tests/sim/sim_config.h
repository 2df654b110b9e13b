// Simulator settings: from a YAML or JSON file, from the --devices shortcut,
// and from command-line overrides.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "device.h"

namespace sim {

struct SimOptions {
    std::filesystem::path state_dir = "sim-state";
    std::filesystem::path inventory;    // default STATE/inventory.json
    std::filesystem::path known_hosts;  // default STATE/known_hosts
    std::filesystem::path control;      // default STATE/control.sock
    std::string listen_address = "127.0.0.1";
    std::filesystem::path authorized_keys;  // OpenSSH authorized_keys format
    double confirm_minute_seconds = 60;
    std::vector<DeviceSpec> devices;
};

// Reads devices and settings from a YAML (or JSON) file into opts.
// Relative config_file paths are resolved against the file's directory.
// Throws std::runtime_error with a readable message on bad input.
void load_config_file(const std::filesystem::path& file, SimOptions& opts);

struct Shortcut {
    int count = 0;
    int base_port = 0;
    std::vector<Platform> platforms{Platform::frr};
    int latency_ms = 0;
    int config_lines = 0;  // generated configs of about this many lines (sized_configs.h); 0: small default
    std::string prefix = "sim";
    std::string username = "admin";
    std::string password = "admin";
};
// Appends `count` devices PREFIX0001.. on consecutive ports, platforms round-robin.
void add_shortcut_devices(const Shortcut& s, SimOptions& opts);

// --fault HOST:NAME[=ARG]
void apply_fault_option(const std::string& option, SimOptions& opts);

}  // namespace sim
