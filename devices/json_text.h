// JSON text for the database. nlohmann's dump() throws on invalid UTF-8 and
// PostgreSQL's jsonb refuses \u0000; one such byte from a device must not
// make a job's outcome unstorable, so both are replaced (U+FFFD) instead.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace switchyard::devices {

// Compact JSON that PostgreSQL accepts as jsonb, whatever bytes the strings
// in `doc` hold: invalid UTF-8 and NUL characters become U+FFFD. Never throws
// for bad bytes.
std::string storable_json(const nlohmann::json& doc);

// A JSON array of rows written one row at a time, each as storable_json: a
// batch of device texts (config history, a job's texts) is megabytes, and as
// one tree it held each text again beside its JSON (heaptrack, bench/sync: a
// 2,000-device dry run's peak held 20 MB of such copies). Only the row being
// added exists as a tree.
class StorableJsonArray {
public:
    // `bytes`: about what the rows' text will take, reserved at once.
    explicit StorableJsonArray(std::size_t bytes = 0);
    void add(const nlohmann::json& row);
    // A row that is storable_json's text already (the caller made it so).
    void add_storable(std::string_view row);
    bool empty() const { return text_.size() == 1; }
    // "[row,row,...]" so far, the array kept (one being added to as it is read).
    std::string text() const { return text_ + ']'; }
    // "[row,row,...]"; the array is empty after.
    std::string finish();

private:
    std::string text_;
};

}  // namespace switchyard::devices
