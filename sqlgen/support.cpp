#include "sqlgen/support.h"

#include <stdexcept>

namespace switchyard::sqlgen {

std::string array_literal(const std::vector<std::int64_t>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
    return out + "}";
}

std::string array_literal(const std::vector<std::string>& values) {
    // Every element double-quoted, with \ and " escaped: no value can end the
    // element or the array early.
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += i ? ",\"" : "\"";
        for (char c : values[i]) {
            if (c == '\\' || c == '"') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

const StatementInfo& find_statement(const std::vector<StatementInfo>& statements, std::string_view name) {
    for (auto& s : statements)
        if (name == s.name) return s;
    throw std::out_of_range("no SQL statement " + std::string(name));
}

}  // namespace switchyard::sqlgen
