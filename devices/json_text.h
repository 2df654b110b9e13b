// JSON text for the database. nlohmann's dump() throws on invalid UTF-8 and
// PostgreSQL's jsonb refuses \u0000; one such byte from a device must not
// make a job's outcome unstorable, so both are replaced (U+FFFD) instead.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::devices {

// Compact JSON that PostgreSQL accepts as jsonb, whatever bytes the strings
// in `doc` hold: invalid UTF-8 and NUL characters become U+FFFD. Never throws
// for bad bytes.
std::string storable_json(const nlohmann::json& doc);

}  // namespace switchyard::devices
