#include "devices/job_texts.h"
#include "devices/json_text.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <stdexcept>

#include "devices/queries.h"

namespace switchyard::devices {
namespace {

const char* kind_name(JobTextKind kind) { return kind == JobTextKind::generated ? "generated" : "diff"; }

std::string key(const std::string& hostname, const std::string& kind) { return kind + '\n' + hostname; }

}  // namespace

std::vector<std::int64_t> JobTexts::store(std::int64_t job_id, const std::vector<JobText>& texts) {
    if (texts.empty()) return {};
    std::size_t bytes = 0;
    for (auto& t : texts) bytes += t.text.size() + t.text.size() / 16 + 64;
    StorableJsonArray rows(bytes);
    for (auto& t : texts) {
        std::string text = t.text;
        // PostgreSQL text holds no NUL; invalid UTF-8 is replaced as the row is written.
        text.erase(std::remove(text.begin(), text.end(), '\0'), text.end());
        rows.add({{"hostname", t.hostname}, {"kind", kind_name(t.kind)}, {"text", std::move(text)}});
    }
    pqxx::work tx(conn_);
    sql::config_history::lock(tx);
    auto stored = sql::job_texts::store(tx, {.job_id = job_id, .entries = sqlgen::JsonText::raw(rows.finish())});
    tx.commit();
    std::map<std::string, std::int64_t> ids;
    for (auto& row : stored) ids[key(row.hostname, row.kind)] = row.id;
    std::vector<std::int64_t> out;
    out.reserve(texts.size());
    for (auto& t : texts) {
        auto it = ids.find(key(t.hostname, kind_name(t.kind)));
        if (it == ids.end()) throw std::logic_error("job text of " + t.hostname + " was not stored");
        out.push_back(it->second);
    }
    return out;
}

std::map<std::int64_t, std::string> JobTexts::texts(std::int64_t job_id, const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, std::string> out;
    if (ids.empty()) return out;
    pqxx::read_transaction tx(conn_);
    for (auto& row : sql::job_texts::texts(tx, {.job_id = job_id, .ids = ids}))
        out.emplace(row.id, std::move(row.text));
    return out;
}

std::map<std::int64_t, std::size_t> JobTexts::sizes(std::int64_t job_id, const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, std::size_t> out;
    if (ids.empty()) return out;
    pqxx::read_transaction tx(conn_);
    for (auto& row : sql::job_texts::sizes(tx, {.job_id = job_id, .ids = ids}))
        out.emplace(row.id, static_cast<std::size_t>(row.bytes));
    return out;
}

std::map<std::int64_t, std::string> JobTexts::prefixes(std::int64_t job_id, const std::vector<std::int64_t>& ids,
                                                       int chars) {
    std::map<std::int64_t, std::string> out;
    if (ids.empty()) return out;
    pqxx::read_transaction tx(conn_);
    for (auto& row : sql::job_texts::prefixes(tx, {.job_id = job_id, .ids = ids, .chars = chars}))
        out.emplace(row.id, std::move(row.prefix));
    return out;
}

}  // namespace switchyard::devices
