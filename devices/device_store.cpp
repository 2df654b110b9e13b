#include "devices/device_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <set>

#include "devices/sql.h"

namespace switchyard::devices {
namespace {

std::string q(std::string_view name) { return std::string(sql(name)); }

Device device_from_row(const pqxx::row& r) {
    Device d;
    d.hostname = r[0].as<std::string>();
    d.management_ip = r[1].as<std::string>();
    d.port = static_cast<std::uint16_t>(r[2].as<int>());
    // The table's CHECKs and our writers keep these valid; a row edited by
    // hand into nonsense is reported rather than guessed at.
    auto platform = platform_from_string(r[3].as<std::string>());
    auto type = device_type_from_string(r[4].as<std::string>());
    auto state = device_state_from_string(r[5].as<std::string>());
    if (!platform || !type || !state) throw InventoryError("device " + d.hostname + " has an unknown platform, type or state in the database");
    d.platform = *platform;
    d.device_type = *type;
    d.state = *state;
    d.synchronized = r[6].as<bool>();
    d.confhash = r[7].as<std::string>();
    if (!r[8].is_null()) {
        auto micros = static_cast<std::int64_t>(r[8].as<double>() * 1e6);
        d.last_seen = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::microseconds(micros)));
    }
    for (auto& g : nlohmann::json::parse(r[9].as<std::string>())) d.groups.push_back(g.get<std::string>());
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
    const std::string upsert = q("devices/upsert.sql");
    for (auto& d : devices) {
        auto row = tx.exec_params1(upsert, d.hostname, d.management_ip, static_cast<int>(d.port),
                                   std::string(to_string(d.platform)), std::string(to_string(d.device_type)),
                                   std::string(to_string(d.state)), nlohmann::json(d.groups).dump());
        (row[0].as<bool>() ? counts.inserted : counts.updated)++;
    }
    tx.commit();
    return counts;
}

std::vector<Device> DeviceStore::list() {
    pqxx::read_transaction tx(conn_);
    std::vector<Device> out;
    for (const auto& row : tx.exec_params(q("devices/list.sql"))) out.push_back(device_from_row(row));
    return out;
}

std::optional<Device> DeviceStore::get(const std::string& hostname) {
    pqxx::read_transaction tx(conn_);
    auto r = tx.exec_params(q("devices/get.sql"), hostname);
    if (r.empty()) return std::nullopt;
    return device_from_row(r[0]);
}

bool DeviceStore::remove(const std::string& hostname) {
    pqxx::work tx(conn_);
    auto r = tx.exec_params(q("devices/remove.sql"), hostname);
    tx.commit();
    return r.affected_rows() > 0;
}

bool DeviceStore::update_sync_state(const std::string& hostname, bool synchronized, const std::string& confhash) {
    pqxx::work tx(conn_);
    auto r = tx.exec_params(q("devices/update_sync.sql"), hostname, synchronized, confhash);
    tx.commit();
    return r.affected_rows() > 0;
}

void DeviceStore::update_sync_states(const std::vector<SyncState>& states) {
    if (states.empty()) return;
    pqxx::work tx(conn_);
    const std::string update = q("devices/update_sync.sql");
    for (auto& s : states) tx.exec_params(update, s.hostname, s.synchronized, s.confhash);
    tx.commit();
}

}  // namespace switchyard::devices
