// Which devices a sync is about (CNaaS-NMS's device_syncto selectors):
// named hostnames, a device type, a group, or all. Only MANAGED devices are
// selected; of a type, a group or all, the synchronized ones only with
// `resync`. The API route counts a selection with it (and refuses an empty
// one) and the job loads its devices with it, so both apply the same rule.
#pragma once

#include <pqxx/connection>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "devices/inventory.h"

namespace switchyard::devices {

struct DeviceSelector {
    std::vector<std::string> hostnames = {};  // non-empty: exactly these (resync does not apply)
    std::optional<DeviceType> device_type = {};
    std::string group = {};  // non-empty: devices in this group
    bool all = false;
    bool resync = false;  // also devices already synchronized

    // "device sw1", "devices sw1, sw2", "devices of type ACCESS",
    // "devices in group g1", "all devices".
    std::string describe() const;
};

// The selector in a job's arguments or a request: "hostnames" (a list: a
// selection made already, which wins over any other key, as the route stores
// it beside the selector asked for), or else exactly one of "hostname" (a
// string), "device_type", "group" or "all": true; and "resync". Other keys
// are left to the caller. Throws std::invalid_argument saying what is wrong.
DeviceSelector selector_from_json(const nlohmann::json& args);
// Writes the selector's keys into `args` (the inverse of selector_from_json).
void selector_to_json(const DeviceSelector& selector, nlohmann::json& args);

struct DeviceSelection {
    std::vector<Device> devices;  // by hostname
    // Why the selection is empty or incomplete, for an operator: a named
    // device that is not in the inventory or not MANAGED, or a selector that
    // matches nothing. Empty when every named device was found.
    std::string problem;
};

// One read of the inventory.
DeviceSelection select_devices(pqxx::connection& conn, const DeviceSelector& selector);

}  // namespace switchyard::devices
