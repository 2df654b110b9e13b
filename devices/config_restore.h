// Whether a record of a device's config history may be restored to the
// device (apply_config): it must be the text the device ran, in the
// language of the platform it is now. The route checks before a job exists,
// the job again when it runs (the device may have changed meanwhile).
#pragma once

#include "devices/inventory.h"

#include <pqxx/connection>

#include <cstdint>
#include <string>

namespace switchyard::devices {

struct RestoreSource {
    bool found = false;   // record `id` of the device exists
    std::string config;   // its text, when it may be restored
    std::string refused;  // why it may not be ("" when it may)
};

// Record `id` of `hostname`, for a device that is a `platform` now. Refused:
// bytes that were not UTF-8 replaced when it was stored (U+FFFD), secrets
// the device hid from the account that read it, or recorded while the
// device was another platform. `which` names the record in the reason
// ("config 12", "config 12 (field 'config_id')").
RestoreSource restore_source(pqxx::connection& conn, const std::string& hostname, std::int64_t id, Platform platform,
                             const std::string& which);

}  // namespace switchyard::devices
