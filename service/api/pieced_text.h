// A text held as the pieces it was read in: views, in order, into buffers
// that something else keeps alive (a query's result, a string). Their
// concatenation is the text. GET /jobs sends an ended job's document this way
// (jobs_page.h): its devices' entries as PostgreSQL returned them, one row
// each, never joined into one 13 MB value.
#pragma once

#include <cstddef>
#include <ranges>
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

    // A document with device_members, laid out as above: the one place that
    // writes the layout, and the accessors below the ones that read it.
    // `members`: any sized range of texts (a view over the rows that hold
    // them), so that no list of them is made only to be copied here.
    template <std::ranges::sized_range Members>
    static PiecedText with_device_members(std::string_view head, Members&& members, std::string_view tail) {
        PiecedText t;
        t.device_members = true;
        t.pieces.reserve(2 * std::ranges::size(members) + 3);
        t.pieces.push_back(head);
        t.pieces.push_back("{");
        bool first = true;
        for (std::string_view member : members) {
            if (!first) t.pieces.push_back(", ");
            first = false;
            t.pieces.push_back(member);
        }
        t.pieces.push_back("}");
        t.pieces.push_back(tail);
        return t;
    }
    // With device_members: the outline before and after the devices, and
    // each device's member.
    std::string_view head() const { return pieces.front(); }
    std::string_view tail() const { return pieces.back(); }
    std::size_t member_count() const { return device_members ? (pieces.size() - 3) / 2 : 0; }
    std::string_view member(std::size_t k) const { return pieces[2 + 2 * k]; }

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
