// A cron expression (the five fields of crontab(5): minute, hour, day of
// month, month, day of week) and the next time it fires in a time zone.
//
// Debian packages no C or C++ cron-expression library, so this is a small
// parser following cronie's crontab(5), tested against a table
// (tests/service/cron_expression_test.cpp):
//   *  a-b  a-b/n  */n  a/n (a to the end, every n)  lists with commas
//   month and weekday names (jan-dec, sun-sat, any case); weekday 7 is Sunday
//   @yearly @annually @monthly @weekly @daily @midnight @hourly
//   When both day of month and day of week are restricted (neither starts
//   with '*'), a day matching either fires (Vixie cron's rule).
// Time zones come from the system's tzdata through Howard Hinnant's date
// library (libhowardhinnant-date-dev; g++ 12's <chrono> has no time zones).
// Daylight saving: a local time that does not exist (clocks go forward)
// fires at the moment of the change, once; a local time that occurs twice
// (clocks go back) fires at its first occurrence only.
#pragma once

#include <date/tz.h>

#include <bitset>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::engine {

using SysSeconds = date::sys_seconds;

class CronExpression {
public:
    // Throws std::invalid_argument naming the field and what is wrong.
    static CronExpression parse(std::string_view text);

    // The first time strictly after `after` at which the expression fires in
    // `zone`; nullopt when it never fires within 8 years (February 30th).
    std::optional<SysSeconds> next_after(SysSeconds after, const date::time_zone* zone) const;

    const std::string& text() const { return text_; }

private:
    bool day_matches(date::year_month_day ymd) const;

    std::string text_;
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_;     // 1-31
    std::bitset<13> months_;   // 1-12
    std::bitset<7> weekdays_;  // 0 = Sunday
    bool days_restricted_ = false;
    bool weekdays_restricted_ = false;
};

// The zone named `name` (an IANA name such as "Europe/Stockholm", or "UTC");
// std::invalid_argument when the system's tzdata has no such zone.
const date::time_zone* find_time_zone(const std::string& name);

}  // namespace switchyard::engine
