#include "devices/device_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <set>

#include "devices/device_row.h"
#include "devices/json_text.h"
#include "devices/queries.h"

namespace switchyard::devices {

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
    auto updated =
        sql::devices::update_sync(tx, {.hostname = hostname, .synchronized = synchronized, .confhash = confhash});
    tx.commit();
    return updated > 0;
}

void DeviceStore::update_sync_states(const std::vector<SyncState>& states, const std::string& by,
                                     std::optional<std::int64_t> job_id) {
    if (states.empty()) return;
    nlohmann::json rows = nlohmann::json::array();
    for (auto& s : states)
        rows.push_back(
            {{"hostname", s.hostname}, {"synchronized", s.synchronized}, {"confhash", s.confhash}, {"cause", s.cause}});
    pqxx::work tx(conn_);
    sql::devices::update_sync_states(
        tx,
        {.states = sqlgen::JsonText::raw(storable_json(rows)), .by = by.empty() ? "unknown" : by, .job_id = job_id});
    tx.commit();
}

}  // namespace switchyard::devices
