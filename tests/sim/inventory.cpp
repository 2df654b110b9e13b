#include "inventory.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "files.h"

namespace sim {

void write_inventory(const std::filesystem::path& path, const std::vector<std::unique_ptr<Device>>& devices,
                     const std::string& address) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : devices) {
        list.push_back({{"hostname", d->hostname()},
                        {"management_ip", address},
                        {"port", d->port()},
                        {"platform", platform_name(d->platform())},
                        {"device_type", d->spec().device_type},
                        {"username", d->spec().username},
                        {"host_key_fingerprint", d->fingerprint()},
                        {"host_key", d->public_key()}});
    }
    write_file_atomic(path, list.dump(2) + "\n");
}

void write_known_hosts(const std::filesystem::path& path, const std::vector<std::unique_ptr<Device>>& devices,
                       const std::string& address) {
    std::string text;
    for (const auto& d : devices)
        text += "[" + address + "]:" + std::to_string(d->port()) + " " + d->public_key() + "\n";
    write_file_atomic(path, text);
}

}  // namespace sim
