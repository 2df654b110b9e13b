// The inventory in PostgreSQL (tables from service/sql/migrations/0086_baseline.sql).
// Not thread-safe, like the pqxx::connection it borrows: one store per thread.
#pragma once

#include <pqxx/connection>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "devices/inventory.h"

namespace switchyard::devices {

struct UpsertCounts {
    std::size_t inserted = 0;
    std::size_t updated = 0;
};

class DeviceStore {
public:
    explicit DeviceStore(pqxx::connection& conn) : conn_(conn) {}

    // Validates every device first, then writes all of them in one
    // transaction: either the whole list lands or nothing does.
    // synchronized/confhash/last_seen are the store's to keep and are not
    // taken from the input.
    UpsertCounts upsert_all(const std::vector<Device>& devices);
    std::vector<Device> list();
    std::optional<Device> get(const std::string& hostname);
    bool remove(const std::string& hostname);
    // Records a visit: in sync or not, and the confhash of what was read.
    bool update_sync_state(const std::string& hostname, bool synchronized, const std::string& confhash);
    // The same for many devices in one transaction (a job's devices at its end).
    // A device left unsynchronized with a `cause` gets it in its sync history
    // (sync_history.h) when it was synchronized until now or that cause is
    // not recorded yet, naming `by` and `job_id`.
    struct SyncState {
        SyncState() = default;
        SyncState(std::string host, bool in_sync, std::string hash, std::string why = "")
            : hostname(std::move(host)), synchronized(in_sync), confhash(std::move(hash)), cause(std::move(why)) {}
        std::string hostname;
        bool synchronized = false;
        std::string confhash;
        std::string cause;  // why it is not synchronized: "syncto_dryrun", "confighash", ...
    };
    void update_sync_states(const std::vector<SyncState>& states, const std::string& by = "",
                            std::optional<std::int64_t> job_id = std::nullopt);

private:
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
