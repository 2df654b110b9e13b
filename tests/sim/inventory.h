// The files tests and drivers read to find the simulated devices: an
// inventory JSON list and an OpenSSH known_hosts file.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "device.h"

namespace sim {

void write_inventory(const std::filesystem::path& path, const std::vector<std::unique_ptr<Device>>& devices,
                     const std::string& address);
// "[127.0.0.1]:PORT ssh-ed25519 AAAA..." per device (the first-run keys).
void write_known_hosts(const std::filesystem::path& path, const std::vector<std::unique_ptr<Device>>& devices,
                       const std::string& address);

}  // namespace sim
