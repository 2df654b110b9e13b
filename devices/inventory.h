// The device inventory: what a device is, how an entry is validated, and how
// an operator's YAML or JSON list becomes devices. Storage is device_store.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "devices/defaults.h"

namespace switchyard::devices {

enum class Platform { frr, eos, junos };
inline constexpr Platform kAllPlatforms[] = {Platform::frr, Platform::eos, Platform::junos};
enum class DeviceType { ACCESS, DIST, CORE, UNKNOWN };
enum class DeviceState { MANAGED, UNMANAGED };

struct Device {
    std::string hostname;
    std::string management_ip;
    std::uint16_t port = defaults::kSshPort;
    Platform platform = Platform::frr;
    DeviceType device_type = DeviceType::UNKNOWN;
    DeviceState state = DeviceState::MANAGED;
    bool synchronized = false;
    std::string confhash;  // SHA-256 hex of the normalised running config last seen
    std::optional<std::chrono::system_clock::time_point> last_seen;
    std::vector<std::string> groups;

    bool operator==(const Device&) const = default;
};

// Thrown for an inventory entry that is not acceptable; the message names the
// entry (index and hostname when known) and the field.
class InventoryError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

std::string_view to_string(Platform p);
std::string_view to_string(DeviceType t);
std::string_view to_string(DeviceState s);
// Parsers accept the canonical spelling case-insensitively; nullopt otherwise.
std::optional<Platform> platform_from_string(std::string_view s);
std::optional<DeviceType> device_type_from_string(std::string_view s);
std::optional<DeviceState> device_state_from_string(std::string_view s);

// Field checks; each returns an error text ("" when valid) so callers can
// prefix it with the entry they were looking at.
std::string hostname_error(std::string_view hostname);
std::string ip_error(std::string_view ip);

// Throws InventoryError naming the first invalid field.
void validate(const Device& d);

// Parses a YAML or JSON list of devices (YAML is a superset of JSON). Any bad
// entry rejects the whole document; duplicate hostnames are rejected too.
std::vector<Device> parse_inventory(std::string_view text);
std::vector<Device> load_inventory_file(const std::string& path);

}  // namespace switchyard::devices
