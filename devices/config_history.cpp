#include "devices/config_history.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "devices/config_diff.h"
#include "devices/sql.h"

namespace switchyard::devices {
namespace {

std::string q(std::string_view name) { return std::string(sql(name)); }

// The shared select list followed by one query's FROM ... (columns.sql).
std::string record_query(std::string_view name) { return q("config_history/columns.sql") + q(name); }

ConfigRecord record_from_row(const pqxx::row& r) {
    ConfigRecord c;
    c.id = r[0].as<std::int64_t>();
    c.hostname = r[1].as<std::string>();
    c.recorded_at = r[2].as<std::string>();
    if (!r[3].is_null()) c.job_id = r[3].as<std::int64_t>();
    c.source = r[4].as<std::string>();
    c.confhash = r[5].as<std::string>();
    return c;
}

std::optional<ConfigRecord> first_record(const pqxx::result& r) {
    if (r.empty()) return std::nullopt;
    return record_from_row(r[0]);
}

}  // namespace

void ConfigHistory::record(const std::vector<ConfigEntry>& entries) {
    if (entries.empty()) return;
    nlohmann::json rows = nlohmann::json::array();
    std::set<std::string> hosts;
    for (auto& e : entries) {
        if (e.source != "read" && e.source != "pushed")
            throw std::invalid_argument("config history of " + e.hostname + ": source must be 'read' or 'pushed', not '" +
                                        e.source + "'");
        // PostgreSQL text holds no NUL; invalid UTF-8 is replaced by the dump below.
        std::string text = e.config;
        text.erase(std::remove(text.begin(), text.end(), '\0'), text.end());
        rows.push_back({{"hostname", e.hostname},
                        {"config", std::move(text)},
                        {"job_id", e.job_id ? nlohmann::json(*e.job_id) : nlohmann::json(nullptr)},
                        {"source", e.source},
                        // = config_hash(normalize_config(config)): config_hash normalises
                        // itself, and normalising is idempotent.
                        {"confhash", config_hash(e.config)}});
        hosts.insert(e.hostname);
    }
    auto replace = nlohmann::json::error_handler_t::replace;
    pqxx::work tx(conn_);
    tx.exec(q("config_history/lock.sql"));
    tx.exec_params(q("config_history/record.sql"), rows.dump(-1, ' ', false, replace));
    tx.exec_params(q("config_history/prune.sql"), nlohmann::json(hosts).dump(-1, ' ', false, replace), kKeepPerDevice);
    tx.commit();
}

void ConfigHistory::sweep_unused_texts() {
    pqxx::work tx(conn_);
    tx.exec(q("config_history/lock.sql"));
    tx.exec(q("config_history/sweep_texts.sql"));
    tx.commit();
}

std::vector<ConfigRecord> ConfigHistory::list(const std::string& hostname, int limit, int offset) {
    pqxx::read_transaction tx(conn_);
    std::vector<ConfigRecord> out;
    for (const auto& row : tx.exec_params(record_query("config_history/list.sql"), hostname, limit, offset))
        out.push_back(record_from_row(row));
    return out;
}

std::int64_t ConfigHistory::count(const std::string& hostname) {
    pqxx::read_transaction tx(conn_);
    return tx.exec_params1(q("config_history/count.sql"), hostname)[0].as<std::int64_t>();
}

std::optional<ConfigRecord> ConfigHistory::get(const std::string& hostname, std::int64_t id) {
    pqxx::read_transaction tx(conn_);
    return first_record(tx.exec_params(record_query("config_history/get.sql"), hostname, id));
}

std::optional<std::string> ConfigHistory::config_text(const std::string& hostname, std::int64_t id) {
    pqxx::read_transaction tx(conn_);
    auto r = tx.exec_params(q("config_history/config_text.sql"), hostname, id);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
}

std::optional<ConfigRecord> ConfigHistory::previous(const std::string& hostname, std::int64_t id) {
    pqxx::read_transaction tx(conn_);
    return first_record(tx.exec_params(record_query("config_history/previous.sql"), hostname, id));
}

}  // namespace switchyard::devices
