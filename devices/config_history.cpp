#include "devices/config_history.h"
#include "devices/json_text.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "devices/config_diff.h"
#include "devices/queries.h"
#include "devices/valid_utf8.h"

namespace switchyard::devices {
namespace {

// config_history/get.sql, list.sql and previous.sql read the same columns.
template <typename Row>
ConfigRecord record_from_row(Row&& r) {
    return {r.id,
            std::move(r.hostname),
            std::move(r.recorded_at),
            r.job_id,
            std::move(r.source),
            std::move(r.confhash),
            r.platform ? platform_from_string(*r.platform) : std::nullopt};
}

template <typename Row>
std::optional<ConfigRecord> record_from(std::optional<Row> r) {
    if (!r) return std::nullopt;
    return record_from_row(std::move(*r));
}

void check_source(const ConfigEntry& e) {
    if (e.source != "read" && e.source != "pushed")
        throw std::invalid_argument("config history of " + e.hostname + ": source must be 'read' or 'pushed', not '" +
                                    e.source + "'");
}

// PostgreSQL text holds no NUL.
std::string without_nul(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\0'), text.end());
    return text;
}

std::string json_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void ConfigHistory::record(const std::vector<ConfigEntry>& entries) {
    if (entries.empty()) return;
    std::size_t bytes = 0;
    for (auto& e : entries) bytes += e.config.size() + e.config.size() / 16 + 160;
    StorableJsonArray rows(bytes);
    std::set<std::string> hosts;
    for (auto& e : entries) {
        check_source(e);
        // PostgreSQL text holds no NUL; invalid UTF-8 is replaced as the row is written.
        std::string text = without_nul(e.config);
        rows.add({{"hostname", e.hostname},
                  {"config", std::move(text)},
                  {"job_id", e.job_id ? nlohmann::json(*e.job_id) : nlohmann::json(nullptr)},
                  {"source", e.source},
                  // = config_hash(normalize_config(config)): config_hash normalises
                  // itself, and normalising is idempotent.
                  {"confhash", e.confhash.empty() ? config_hash(e.config) : e.confhash}});
        hosts.insert(e.hostname);
    }
    pqxx::work tx(conn_);
    sql::config_history::lock(tx);
    sql::config_history::record(tx, {.entries = sqlgen::JsonText::raw(rows.finish())});
    sql::config_history::prune(tx, {.hostnames = sqlgen::JsonText::raw(json_text(hosts)), .keep = kKeepPerDevice});
    tx.commit();
}

std::optional<ConfigHistory::RecordOutcome> ConfigHistory::record_if_changed(const ConfigEntry& e) {
    check_source(e);
    // As record() stores it: no NUL, invalid UTF-8 replaced (U+FFFD).
    std::string text = valid_utf8(without_nul(e.config));
    pqxx::work tx(conn_);
    sql::config_history::lock(tx);
    auto row = sql::config_history::record_changed(tx, {.hostname = e.hostname,
                                                        .config = text,
                                                        .job_id = e.job_id,
                                                        .source = e.source,
                                                        .confhash = config_hash(e.config)});
    if (row && row->stored)
        sql::config_history::prune(tx,
                                   {.hostnames = sqlgen::JsonText::raw(json_text(nlohmann::json::array({e.hostname}))),
                                    .keep = kKeepPerDevice});
    tx.commit();
    if (!row) return std::nullopt;
    return RecordOutcome{row->id, row->stored};
}

void ConfigHistory::sweep_unused_texts() {
    pqxx::work tx(conn_);
    sql::config_history::lock(tx);
    sql::config_history::sweep_texts(tx);
    tx.commit();
}

std::vector<ConfigRecord> ConfigHistory::list(const std::string& hostname, int limit, int offset) {
    pqxx::read_transaction tx(conn_);
    std::vector<ConfigRecord> out;
    for (auto& row : sql::config_history::list(tx, {.hostname = hostname, .limit = limit, .offset = offset}))
        out.push_back(record_from_row(std::move(row)));
    return out;
}

std::int64_t ConfigHistory::count(const std::string& hostname) {
    pqxx::read_transaction tx(conn_);
    return sql::config_history::count(tx, {.hostname = hostname}).count;
}

std::optional<ConfigRecord> ConfigHistory::get(const std::string& hostname, std::int64_t id) {
    pqxx::read_transaction tx(conn_);
    return record_from(sql::config_history::get(tx, {.hostname = hostname, .id = id}));
}

std::optional<std::string> ConfigHistory::config_text(const std::string& hostname, std::int64_t id) {
    pqxx::read_transaction tx(conn_);
    auto r = sql::config_history::config_text(tx, {.hostname = hostname, .id = id});
    if (!r) return std::nullopt;
    return std::move(r->config);
}

std::optional<ConfigRecord> ConfigHistory::pushed(const std::string& hostname, const PushedQuery& q) {
    pqxx::read_transaction tx(conn_);
    return record_from(sql::config_history::pushed(
        tx, {.hostname = hostname, .job_id = q.job_id, .before = q.before, .skip = q.skip}));
}

std::optional<ConfigRecord> ConfigHistory::previous(const std::string& hostname, std::int64_t id) {
    pqxx::read_transaction tx(conn_);
    return record_from(sql::config_history::previous(tx, {.hostname = hostname, .id = id}));
}

}  // namespace switchyard::devices
