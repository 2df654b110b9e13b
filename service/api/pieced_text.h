// A text held as the pieces it was read in: views, in order, into buffers
// that something else keeps alive (a query's result, a string). Their
// concatenation is the text. GET /jobs sends an ended job's document this way
// (jobs_page.h): its devices' entries as PostgreSQL returned them, one row
// each, never joined into one 13 MB value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::api {

struct PiecedText {
    std::vector<std::string_view> pieces;
    // A job's document whose result's devices came a row each: the pieces
    // are its outline up to the devices, "{", each device as the member
    // "<hostname>": <entry> with ", " between them, "}", and the rest of the
    // outline. What trims the devices (filter_jobresult) then holds one
    // device's tree at a time.
    bool device_members = false;

    PiecedText() = default;
    explicit PiecedText(std::string_view whole) : pieces{whole} {}

    std::size_t size() const {
        std::size_t n = 0;
        for (auto p : pieces) n += p.size();
        return n;
    }
    // The text in one string (for what must parse it whole).
    std::string joined() const {
        std::string out;
        out.reserve(size());
        for (auto p : pieces) out += p;
        return out;
    }
};

}  // namespace switchyard::api
