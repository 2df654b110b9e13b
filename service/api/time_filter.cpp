#include "time_filter.h"

#include <chrono>

namespace switchyard::api {
namespace {

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

// `v` (0 <= v < 10^width) in `width` digits, zero-padded.
std::string padded(int v, std::size_t width) {
    std::string out(width, '0');
    for (std::size_t i = width; i-- > 0 && v > 0; v /= 10) out[i] = static_cast<char>('0' + v % 10);
    return out;
}

bool take(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

}  // namespace

std::optional<TimeSpan> parse_time_span(std::string_view s) {
    std::size_t pos = 0;
    auto year = digits(s, pos, 4);
    if (!year || !take(s, pos, '-')) return std::nullopt;
    auto month = digits(s, pos, 2);
    if (!month || !take(s, pos, '-')) return std::nullopt;
    auto day = digits(s, pos, 2);
    if (!day) return std::nullopt;
    using namespace std::chrono;
    if (*year < 1 || !year_month_day(std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                     std::chrono::day(static_cast<unsigned>(*day)))
                          .ok())
        return std::nullopt;

    int hour = 0, minute = 0, second = 0;
    std::string fraction;
    std::string length = "1 day";
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        ++pos;
        auto h = digits(s, pos, 2);
        if (!h || *h > 23) return std::nullopt;
        hour = *h;
        length = "1 hour";
        if (take(s, pos, ':')) {
            auto m = digits(s, pos, 2);
            if (!m || *m > 59) return std::nullopt;
            minute = *m;
            length = "1 minute";
            if (take(s, pos, ':')) {
                auto sec = digits(s, pos, 2);
                if (!sec || *sec > 59) return std::nullopt;
                second = *sec;
                length = "1 second";
                if (take(s, pos, '.')) {
                    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && fraction.size() < 7)
                        fraction += s[pos++];
                    if (fraction.empty() || fraction.size() > 6) return std::nullopt;
                    length = "0." + std::string(fraction.size() - 1, '0') + "1 second";
                }
            }
        }
    }

    std::string offset = "+00:00";
    if (pos < s.size()) {
        char sign = s[pos];
        if ((sign == 'Z' || sign == 'z') && pos + 1 == s.size()) {
            pos = s.size();
        } else if (sign == '+' || sign == '-' || sign == ' ') {
            // A query string's '+' arrives as a space; only after a time.
            if (sign == ' ' && length == "1 day") return std::nullopt;
            ++pos;
            // PostgreSQL refuses an offset beyond 15:59 (its MAX_TZDISP_HOUR);
            // refused here, it is the client's 400 rather than our 500.
            auto oh = digits(s, pos, 2);
            if (!oh || *oh > 15) return std::nullopt;
            int om = 0;
            if (pos < s.size()) {
                take(s, pos, ':');
                auto m = digits(s, pos, 2);
                if (!m || *m > 59) return std::nullopt;
                om = *m;
            }
            offset = (sign == '-' ? "-" : "+") + padded(*oh, 2) + ":" + padded(om, 2);
        } else {
            return std::nullopt;
        }
    }
    if (pos != s.size()) return std::nullopt;

    TimeSpan out;
    out.start = padded(*year, 4) + "-" + padded(*month, 2) + "-" + padded(*day, 2) + "T" + padded(hour, 2) + ":" +
                padded(minute, 2) + ":" + padded(second, 2) + (fraction.empty() ? "" : "." + fraction) + offset;
    out.length = length;
    return out;
}

}  // namespace switchyard::api
