#include "cron_expression.h"

#include <array>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace switchyard::engine {
namespace {

using namespace std::chrono;

struct FieldSpec {
    const char* name;
    int min, max;
    const char* const* names;  // names for min, min+1, ... (nullptr: numbers only)
    int names_count;
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr FieldSpec kMinute{"minute", 0, 59, nullptr, 0};
constexpr FieldSpec kHour{"hour", 0, 23, nullptr, 0};
constexpr FieldSpec kDay{"day of month", 1, 31, nullptr, 0};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames, 12};
// 7 is Sunday too (crontab(5)); folded onto 0 after parsing.
constexpr FieldSpec kWeekday{"day of week", 0, 7, kWeekdayNames, 7};

[[noreturn]] void fail(const FieldSpec& f, std::string_view part, const std::string& why) {
    throw std::invalid_argument("cron " + std::string(f.name) + " field '" + std::string(part) + "': " + why);
}

int parse_value(const FieldSpec& f, std::string_view text, std::string_view part) {
    if (text.empty()) fail(f, part, "a value is missing");
    if (f.names && std::isalpha(static_cast<unsigned char>(text[0]))) {
        std::string lower;
        for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (int i = 0; i < f.names_count; ++i)
            if (lower == f.names[i]) return f.min + i;
        fail(f, part, "unknown name '" + std::string(text) + "'");
    }
    int v = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) fail(f, part, "'" + std::string(text) + "' is not a number");
        v = v * 10 + (c - '0');
        if (v > 1000) break;
    }
    if (v < f.min || v > f.max)
        fail(f, part, std::to_string(v) + " is outside " + std::to_string(f.min) + "-" + std::to_string(f.max));
    return v;
}

// One field: a comma-separated list of *, a, a-b, each with an optional /step.
std::vector<bool> parse_field(const FieldSpec& f, std::string_view field) {
    std::vector<bool> set(f.max + 1, false);
    std::size_t start = 0;
    while (start <= field.size()) {
        std::size_t comma = field.find(',', start);
        std::string_view part =
            field.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        std::string_view range = part;
        int step = 1;
        if (auto slash = part.find('/'); slash != std::string_view::npos) {
            range = part.substr(0, slash);
            std::string_view s = part.substr(slash + 1);
            if (s.empty() || s.size() > 4) fail(f, part, "the step must be a number");
            step = 0;
            for (char c : s) {
                if (!std::isdigit(static_cast<unsigned char>(c))) fail(f, part, "the step must be a number");
                step = step * 10 + (c - '0');
            }
            if (step < 1 || step > f.max) fail(f, part, "the step must be between 1 and " + std::to_string(f.max));
        }
        int lo, hi;
        if (range == "*") {
            lo = f.min;
            hi = f.max;
        } else if (auto dash = range.find('-'); dash != std::string_view::npos) {
            lo = parse_value(f, range.substr(0, dash), part);
            hi = parse_value(f, range.substr(dash + 1), part);
            if (hi < lo) fail(f, part, "the range runs backwards");
        } else {
            lo = parse_value(f, range, part);
            // a/n: from a to the end of the field, every n.
            hi = part.find('/') != std::string_view::npos ? f.max : lo;
        }
        for (int v = lo; v <= hi; v += step) set[v] = true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return set;
}

template <std::size_t N>
std::bitset<N> to_bits(const std::vector<bool>& set, int offset = 0) {
    std::bitset<N> out;
    for (std::size_t i = 0; i < set.size(); ++i)
        if (set[i]) out.set(i + offset);
    return out;
}

std::string_view expand_macro(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> kMacros[] = {
        {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
        {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
    };
    for (auto& [name, fields] : kMacros)
        if (text == name) return fields;
    throw std::invalid_argument("unknown cron macro '" + std::string(text) +
                                "' (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)");
}

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
    if (text.size() > 200) throw std::invalid_argument("a cron expression must be at most 200 characters");
    CronExpression e;
    e.text_ = std::string(text);
    std::string_view fields_text = text;
    auto first = fields_text.find_first_not_of(" \t");
    if (first != std::string_view::npos && fields_text[first] == '@') {
        auto last = fields_text.find_last_not_of(" \t");
        fields_text = expand_macro(fields_text.substr(first, last - first + 1));
    }
    std::vector<std::string_view> fields;
    for (std::size_t i = 0; i < fields_text.size();) {
        if (fields_text[i] == ' ' || fields_text[i] == '\t') {
            ++i;
            continue;
        }
        std::size_t end = fields_text.find_first_of(" \t", i);
        if (end == std::string_view::npos) end = fields_text.size();
        fields.push_back(fields_text.substr(i, end - i));
        i = end;
    }
    if (fields.size() != 5)
        throw std::invalid_argument(
            "a cron expression has 5 fields (minute hour day-of-month month day-of-week), not " +
            std::to_string(fields.size()));
    e.minutes_ = to_bits<60>(parse_field(kMinute, fields[0]));
    e.hours_ = to_bits<24>(parse_field(kHour, fields[1]));
    e.days_ = to_bits<32>(parse_field(kDay, fields[2]));
    e.months_ = to_bits<13>(parse_field(kMonth, fields[3]));
    auto weekdays = parse_field(kWeekday, fields[4]);
    if (weekdays[7]) weekdays[0] = true;
    weekdays.resize(7);
    e.weekdays_ = to_bits<7>(weekdays);
    e.days_restricted_ = fields[2][0] != '*';
    e.weekdays_restricted_ = fields[4][0] != '*';
    return e;
}

bool CronExpression::day_matches(date::year_month_day ymd) const {
    bool day = days_.test(static_cast<unsigned>(ymd.day()));
    bool weekday = weekdays_.test(date::weekday(date::sys_days(ymd)).c_encoding());
    if (days_restricted_ && weekdays_restricted_) return day || weekday;
    return day && weekday;
}

std::optional<SysSeconds> CronExpression::next_after(SysSeconds after, const date::time_zone* zone) const {
    // Walk local time, skipping a whole month, day or hour when it cannot
    // match; each candidate minute is mapped back to UTC.
    auto local_after = zone->to_local(after);
    auto t = date::floor<minutes>(local_after) + minutes(1);
    auto limit = t + date::days(366 * 8);
    while (t < limit) {
        auto day = date::floor<date::days>(t);
        date::year_month_day ymd(day);
        if (!months_.test(static_cast<unsigned>(ymd.month()))) {
            auto first_of_next = date::local_days((ymd.year() / ymd.month() + date::months(1)) / 1);
            t = first_of_next;
            continue;
        }
        if (!day_matches(ymd)) {
            t = day + date::days(1);
            continue;
        }
        auto hour = date::floor<hours>(t);
        if (!hours_.test(static_cast<std::size_t>((hour - day).count()))) {
            t = hour + hours(1);
            continue;
        }
        if (!minutes_.test(static_cast<std::size_t>((t - hour).count()))) {
            t += minutes(1);
            continue;
        }
        auto info = zone->get_info(date::local_seconds(t));
        SysSeconds at;
        switch (info.result) {
            case date::local_info::unique: at = SysSeconds(t.time_since_epoch() - info.first.offset); break;
            case date::local_info::nonexistent:
                at = info.first.end;  // the moment the clocks went forward
                break;
            default:  // ambiguous: the first occurrence only
                at = SysSeconds(t.time_since_epoch() - info.first.offset);
                break;
        }
        if (at > after) return at;
        t += minutes(1);
    }
    return std::nullopt;
}

const date::time_zone* find_time_zone(const std::string& name) {
    if (name.empty() || name.size() > 100) throw std::invalid_argument("a time zone name must be 1-100 characters");
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw std::invalid_argument("unknown time zone '" + name + "' (an IANA name such as Europe/Stockholm, or UTC)");
    }
}

}  // namespace switchyard::engine
