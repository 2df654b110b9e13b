// What the functions sqlgen generates (sqlgen/sqlgen.cpp) use at run time:
// parameter conversions, reading a column into its C++ type, and the
// description of each statement that tests check against the schema.
#pragma once

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::sqlgen {

// Tag: run the statement as a prepared statement of the connection (for
// statements a thread runs over and over on a connection of its own).
struct Prepared {};
inline constexpr Prepared prepared{};

// A json/jsonb parameter: the JSON text. Built from a document (dumped
// strictly: invalid UTF-8 throws) or, with raw(), from text the caller
// serialised itself (e.g. with invalid UTF-8 replaced).
class JsonText {
public:
    JsonText(const nlohmann::json& document) : text(document.dump()) {}  // implicit on purpose
    static JsonText raw(std::string text) { return JsonText(std::move(text), 0); }
    std::string text;

private:
    JsonText(std::string t, int) : text(std::move(t)) {}
};

// A bytea value: bytes as they are, NUL and invalid UTF-8 kept (a text
// column cleans them). Sent to PostgreSQL in binary.
struct Bytes {
    std::string bytes;
};

// A text column read without a copy (declared `text_shared`): a view of the
// value inside the result it was read in, which it keeps alive (a
// pqxx::field holds its result). For a large value read to be kept, which a
// copy held twice while it was made (GET /jobs's cache of ended jobs'
// documents: 13.5 MB at 10,000 devices). It keeps every row of its result,
// so such values are read one per statement.
class SharedText {
public:
    explicit SharedText(const pqxx::field& f) : field_(f), text_(f.c_str(), f.size()) {}
    // The text is valid while this or a copy lives. The reference is to
    // this object's own member: an aliasing std::shared_ptr that owns this
    // object may point at it (api::JobDocumentCache::Text).
    const std::string_view& view() const { return text_; }

private:
    pqxx::field field_;
    std::string_view text_;
};

// "{a,b}" literals for array parameters (libpqxx 6 has no array binding).
std::string array_literal(const std::vector<std::int64_t>& values);
std::string array_literal(const std::vector<std::string>& values);

template <typename T>
const T& param(const T& value) {
    return value;
}
inline const std::string& param(const JsonText& value) { return value.text; }
inline pqxx::binarystring param(const Bytes& value) { return pqxx::binarystring(value.bytes); }
inline std::string param(const std::vector<std::int64_t>& values) { return array_literal(values); }
inline std::string param(const std::vector<std::string>& values) { return array_literal(values); }
template <typename T>
auto param(const std::optional<T>& value) -> std::optional<std::decay_t<decltype(param(*value))>> {
    if (!value) return std::nullopt;
    return param(*value);
}

// A column into its C++ type; NULL in a column not declared nullable throws.
template <typename T>
struct ColumnReader {
    static T read(const pqxx::field& f) { return f.as<T>(); }
};
template <typename T>
struct ColumnReader<std::optional<T>> {
    static std::optional<T> read(const pqxx::field& f) {
        if (f.is_null()) return std::nullopt;
        return ColumnReader<T>::read(f);
    }
};
template <>
struct ColumnReader<nlohmann::json> {
    static nlohmann::json read(const pqxx::field& f) {
        if (f.is_null()) throw pqxx::conversion_error("NULL in json column " + std::string(f.name()));
        return nlohmann::json::parse(f.c_str(), f.c_str() + f.size());
    }
};
template <>
struct ColumnReader<Bytes> {
    static Bytes read(const pqxx::field& f) {
        if (f.is_null()) throw pqxx::conversion_error("NULL in bytea column " + std::string(f.name()));
        return {pqxx::binarystring(f).str()};
    }
};
template <>
struct ColumnReader<SharedText> {
    static SharedText read(const pqxx::field& f) {
        if (f.is_null()) throw pqxx::conversion_error("NULL in text column " + std::string(f.name()));
        return SharedText(f);
    }
};
template <typename T>
T column(const pqxx::field& f) {
    return ColumnReader<T>::read(f);
}

// One statement as declared in its .sql file.
struct FieldInfo {
    const char* name;
    const char* sql_type;  // as declared: bigint, text, jsonb, text[] ...
    bool nullable;
};
struct StatementInfo {
    const char* name;  // the C++ name: switchyard::store::sql::jobs::claim
    const char* kind;  // one, optional, many, exec, script
    const std::string& text;
    std::vector<FieldInfo> params;
    std::vector<FieldInfo> columns;
};

// The statement named `name` (its C++ name); std::out_of_range if none.
const StatementInfo& find_statement(const std::vector<StatementInfo>& statements, std::string_view name);

// A script (a migration): its path under the SQL folder and its text.
struct Script {
    const char* name;
    const char* text;
};

}  // namespace switchyard::sqlgen
