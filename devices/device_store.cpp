#include "devices/device_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <set>

#include "devices/queries.h"

namespace switchyard::devices {
namespace {

// devices/get.sql and devices/list.sql read the same columns.
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
    if (!platform || !type || !state) throw InventoryError("device " + d.hostname + " has an unknown platform, type or state in the database");
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

}  // namespace

UpsertCounts DeviceStore::upsert_all(const std::vector<Device>& devices) {
    for (std::size_t i = 0; i < devices.size(); ++i) {
        try {
            validate(devices[i]);
        } catch (const InventoryError& e) {
            throw InventoryError("device #" + std::to_string(i + 1) + " (" + devices[i].hostname + "): " + e.what());
        }
    }
    std::set<std::string> seen;
    for (auto& d : devices)
        if (!seen.insert(d.hostname).second) throw InventoryError("device " + d.hostname + " appears more than once");
    UpsertCounts counts;
    pqxx::work tx(conn_);
    for (auto& d : devices) {
        auto row = sql::devices::upsert(tx, {.hostname = d.hostname,
                                             .management_ip = d.management_ip,
                                             .port = d.port,
                                             .platform = std::string(to_string(d.platform)),
                                             .device_type = std::string(to_string(d.device_type)),
                                             .state = std::string(to_string(d.state)),
                                             .groups = d.groups});
        (row.inserted ? counts.inserted : counts.updated)++;
    }
    tx.commit();
    return counts;
}

std::vector<Device> DeviceStore::list() {
    pqxx::read_transaction tx(conn_);
    std::vector<Device> out;
    for (const auto& row : sql::devices::list(tx)) out.push_back(device_from_row(row));
    return out;
}

std::optional<Device> DeviceStore::get(const std::string& hostname) {
    pqxx::read_transaction tx(conn_);
    auto r = sql::devices::get(tx, {.hostname = hostname});
    if (!r) return std::nullopt;
    return device_from_row(*r);
}

bool DeviceStore::remove(const std::string& hostname) {
    pqxx::work tx(conn_);
    auto removed = sql::devices::remove(tx, {.hostname = hostname});
    tx.commit();
    return removed > 0;
}

bool DeviceStore::update_sync_state(const std::string& hostname, bool synchronized, const std::string& confhash) {
    pqxx::work tx(conn_);
    auto updated = sql::devices::update_sync(tx, {.hostname = hostname, .synchronized = synchronized, .confhash = confhash});
    tx.commit();
    return updated > 0;
}

void DeviceStore::update_sync_states(const std::vector<SyncState>& states, const std::string& by,
                                     std::optional<std::int64_t> job_id) {
    if (states.empty()) return;
    pqxx::work tx(conn_);
    for (auto& s : states) {
        if (!s.synchronized && !s.cause.empty())
            sql::devices::mark_unsynchronized(
                tx, {.hostname = s.hostname, .cause = s.cause, .by = by.empty() ? "unknown" : by, .job_id = job_id});
        sql::devices::update_sync(tx, {.hostname = s.hostname, .synchronized = s.synchronized, .confhash = s.confhash});
    }
    tx.commit();
}

}  // namespace switchyard::devices
