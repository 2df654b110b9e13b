// A live sync's configs between its read and its push, in PostgreSQL
// (table sync_parked_configs: service/sql/migrations/0086_baseline.sql, which says why
// bytea and why unlogged). The sync parks a device's two configs once it
// has read it and takes them back when its push starts (tasks/sync_texts.h),
// so that the job's memory is bounded by the devices in flight.
// Not thread-safe, like the pqxx::connection it borrows: one per thread.
#pragma once

#include <pqxx/connection>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::devices {

struct ParkedConfigs {
    std::string hostname;
    std::string read;      // the running config as the sync read it
    std::string intended;  // the config it pushes
};

class ParkedConfigStore {
public:
    explicit ParkedConfigStore(pqxx::connection& conn) : conn_(conn) {}

    // Parks each device's configs for job `job_id`, in one transaction.
    void park(std::int64_t job_id, const std::vector<ParkedConfigs>& devices);
    // Device `hostname`'s configs, byte for byte as parked, removed from
    // the store; nullopt when none are parked (or PostgreSQL lost them in
    // a crash: the table is unlogged).
    std::optional<ParkedConfigs> take(std::int64_t job_id, const std::string& hostname);
    // Whatever job `job_id` parked and never took back goes.
    void drop(std::int64_t job_id);

private:
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
