// A device as the devices/*.sql statements read one (get.sql, list.sql and
// selected.sql return the same columns). Internal to the devices library.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/inventory.h"

namespace switchyard::devices {

template <typename Row>
Device device_from_row(const Row& r) {
    Device d;
    d.hostname = r.hostname;
    d.management_ip = r.management_ip;
    d.port = static_cast<std::uint16_t>(r.port);
    // The table's CHECKs and our writers keep these valid; a row edited by
    // hand into nonsense is reported rather than guessed at.
    auto platform = platform_from_string(r.platform);
    auto type = device_type_from_string(r.device_type);
    auto state = device_state_from_string(r.state);
    if (!platform || !type || !state)
        throw InventoryError("device " + d.hostname + " has an unknown platform, type or state in the database");
    d.platform = *platform;
    d.device_type = *type;
    d.state = *state;
    d.synchronized = r.synchronized;
    d.confhash = r.confhash;
    if (r.last_seen_epoch) {
        auto micros = static_cast<std::int64_t>(*r.last_seen_epoch * 1e6);
        d.last_seen = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(micros)));
    }
    d.groups = r.groups.template get<std::vector<std::string>>();
    return d;
}

}  // namespace switchyard::devices
