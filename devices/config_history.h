// A device's config history: every config a job read from or pushed to a
// device, with when, which job and the confhash, so that the previous config
// can be shown and diffed (tables from
// service/sql/migrations/0086_baseline.sql). Texts are stored
// once however many records point at them.
// Not thread-safe, like the pqxx::connection it borrows: one per thread.
#pragma once

#include <pqxx/connection>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devices/inventory.h"

namespace switchyard::devices {

struct ConfigEntry {
    std::string hostname;
    std::string config;  // the raw text as read or pushed
    std::optional<std::int64_t> job_id;
    std::string source;  // "read" or "pushed"
    // config_hash(config) when the caller has it already (a sync hashed its
    // read for drift); empty: record() computes it.
    std::string confhash = {};
};

struct ConfigRecord {
    std::int64_t id = 0;
    std::string hostname;
    std::string recorded_at;  // ISO 8601, UTC
    std::optional<std::int64_t> job_id;
    std::string source;
    std::string confhash;  // as the devices table keeps it: config_hash(normalize_config(text))
    // The device's platform when it was recorded; not known for records made
    // by development builds before it was kept. A config of one platform cannot
    // be restored to a device of another (config_restore.h).
    std::optional<Platform> platform;
};

class ConfigHistory {
public:
    // Records a device keeps; older ones go when a newer one is recorded.
    static constexpr int kKeepPerDevice = 200;

    explicit ConfigHistory(pqxx::connection& conn) : conn_(conn) {}

    // Records every entry in one transaction (a sync of 1,000 devices calls
    // it once), in order, so the last entry of a device is its newest record;
    // identical texts are stored once. Keeps the kKeepPerDevice newest records
    // of each device touched.
    // Entries for devices not in the inventory (deleted meanwhile) are
    // skipped. std::invalid_argument for a source other than read/pushed.
    // NUL bytes are dropped and invalid UTF-8 replaced (U+FFFD) before storing.
    void record(const std::vector<ConfigEntry>& entries);

    // What record_if_changed did: `id` is the record that holds the config
    // now (the new one, or the newest one already holding it).
    struct RecordOutcome {
        std::int64_t id = 0;
        bool stored = false;  // false: the newest record has the same confhash
    };
    // Records `entry` unless the device's newest record has its confhash
    // (the same config once normalised: a backup that found nothing new), in
    // one transaction that no other record comes between; prunes as
    // record() does. nullopt when the device is not in the inventory. Text
    // cleaned as record() cleans it.
    std::optional<RecordOutcome> record_if_changed(const ConfigEntry& entry);
    // Drops texts no record points at any more (pruned, or their device was
    // deleted). A full scan of the texts: the leader's cleaner runs it, not
    // every record().
    void sweep_unused_texts();

    // Newest first.
    std::vector<ConfigRecord> list(const std::string& hostname, int limit, int offset);
    std::int64_t count(const std::string& hostname);
    std::optional<ConfigRecord> get(const std::string& hostname, std::int64_t id);
    std::optional<std::string> config_text(const std::string& hostname, std::int64_t id);
    // The newest record before `id` of the same device whose confhash
    // differs (the "previous config"); nullopt if none or `id` is unknown.
    std::optional<ConfigRecord> previous(const std::string& hostname, std::int64_t id);

    // Which config a job left on the device (source "pushed"), as CNaaS-NMS's
    // previous_config picks one: of job `job_id`, else the newest recorded
    // before `before` (ISO 8601), skipping the `skip` newest.
    struct PushedQuery {
        std::optional<std::int64_t> job_id;
        std::optional<std::string> before;
        std::int64_t skip = 0;
    };
    std::optional<ConfigRecord> pushed(const std::string& hostname, const PushedQuery& query);

private:
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
