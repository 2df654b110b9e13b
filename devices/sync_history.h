// Why each device became unsynchronized (table device_sync_events, migration
// 0071): CNaaS-NMS's sync history (src/cnaas_nms/devicehandler/sync_history.py),
// kept until the device is synchronized again. Jobs add events through
// DeviceStore::update_sync_states (with the state change, in one
// transaction); operators through add().
// Not thread-safe, like the pqxx::connection it borrows: one per thread.
#pragma once

#include <pqxx/connection>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::devices {

struct SyncEvent {
    std::string hostname;
    std::string cause;     // "syncto_dryrun", "confighash", "commit_confirm_failed", "apply_config", ...
    double timestamp = 0;  // seconds since the epoch (UTC), as CNaaS-NMS keeps it
    std::string by;
    std::optional<std::int64_t> job_id;
};

class SyncHistory {
public:
    explicit SyncHistory(pqxx::connection& conn) : conn_(conn) {}

    // Adds an event (now, unless `timestamp` > 0). False when the device is
    // not in the inventory.
    bool add(const SyncEvent& event);
    // Every device's events, or one device's; oldest first per device.
    std::vector<SyncEvent> list(const std::optional<std::string>& hostname = std::nullopt);

private:
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
