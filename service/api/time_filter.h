// A point in time as a client types it into a filter (`filter[finish_time]=
// 2024-05-01`), read as the span its precision names: a date is that whole
// day, a time to the minute that minute, and so on down to microseconds.
// CNaaS-NMS compares the column with the text as PostgreSQL reads it (so a
// bare date matches only midnight, src/cnaas_nms/api/generic.py:170); a span
// finds what the person typing meant and still matches an exact timestamp
// exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::api {

struct TimeSpan {
    std::string start;   // ISO 8601 with an explicit offset, for ::timestamptz
    std::string length;  // a PostgreSQL interval: "1 day", "1 second", "0.001 second"
};

// YYYY-MM-DD, optionally followed by T or a space and HH, HH:MM, HH:MM:SS or
// HH:MM:SS.f (1-6 digits), then optionally Z, +HH:MM, -HH:MM, +HHMM or +HH
// (at most 15:59, as PostgreSQL reads offsets).
// Without an offset the time is UTC (CNaaS-NMS stores naive UTC times). A
// '+' that a query string turned into a space is read as '+'. nullopt for
// anything else, or for a date or time that does not exist (2023-02-29, 24:00).
std::optional<TimeSpan> parse_time_span(std::string_view text);

}  // namespace switchyard::api
