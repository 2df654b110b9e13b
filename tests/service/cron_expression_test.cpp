// The cron parser and the next tick in a time zone, as a table; and what a
// leader's round enqueues for the ticks that came due (plan_ticks).
#include "engine/cron_expression.h"
#include "engine/schedule.h"

#include <date/date.h>
#include <catch2/catch.hpp>

#include <sstream>

using namespace switchyard::engine;
using namespace std::chrono;

namespace {

SysSeconds utc(const std::string& text) {
    std::istringstream in(text);
    SysSeconds t;
    in >> date::parse("%FT%TZ", t);
    REQUIRE(in);
    return t;
}

std::string iso(SysSeconds t) { return date::format("%FT%TZ", t); }

struct NextCase {
    const char* expression;
    const char* zone;
    const char* after;
    const char* expected;
    const char* why;
};

// Europe/Stockholm: CET (+1) in winter, CEST (+2) from 2026-03-29 02:00 to
// 2026-10-25 03:00 local. 2026-01-01 is a Thursday, 2026-02-01 a Sunday.
const NextCase kNext[] = {
    {"*/15 * * * *", "UTC", "2026-01-01T00:07:30Z", "2026-01-01T00:15:00Z", "every 15 minutes"},
    {"0 2 * * *", "UTC", "2026-01-01T02:00:00Z", "2026-01-02T02:00:00Z", "strictly after"},
    {"0 2 * * *", "Europe/Stockholm", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "02:00 CET"},
    {"0 2 * * *", "Europe/Stockholm", "2026-06-30T23:00:00Z", "2026-07-01T00:00:00Z", "02:00 CEST"},
    {"30 2 * * *", "Europe/Stockholm", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z",
     "02:30 does not exist: fires when the clocks go forward"},
    {"30 2 * * *", "Europe/Stockholm", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "and once only"},
    {"30 2 * * *", "Europe/Stockholm", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z",
     "02:30 happens twice: the first"},
    {"30 2 * * *", "Europe/Stockholm", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "not the second"},
    {"0 * * * *", "Europe/Stockholm", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z",
     "hourly: the repeated 02:00 fires once"},
    {"0 0 13 * 5", "UTC", "2026-02-01T00:00:00Z", "2026-02-06T00:00:00Z", "day 13 or a Friday (Vixie)"},
    {"0 0 13 * *", "UTC", "2026-02-01T00:00:00Z", "2026-02-13T00:00:00Z", "day 13"},
    {"0 0 */2 * 1", "UTC", "2026-02-01T00:00:00Z", "2026-02-09T00:00:00Z",
     "*/2 counts as unrestricted: an odd day AND a Monday"},
    {"0 12 * jan,JUL mon-fri", "UTC", "2026-02-01T00:00:00Z", "2026-07-01T12:00:00Z", "names, any case"},
    {"0 0 * * 7", "UTC", "2026-02-02T00:00:00Z", "2026-02-08T00:00:00Z", "7 is Sunday"},
    {"0 0 * * sun", "UTC", "2026-02-02T00:00:00Z", "2026-02-08T00:00:00Z", "sun"},
    {"0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z", "leap day"},
    {"5/20 * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z", "a/n starts at a"},
    {"5/20 * * * *", "UTC", "2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "then every n"},
    {"10-30/10 * * * *", "UTC", "2026-01-01T00:11:00Z", "2026-01-01T00:20:00Z", "a range with a step"},
    {"1,2,58 * * * *", "UTC", "2026-01-01T00:03:00Z", "2026-01-01T00:58:00Z", "a list"},
    {"0 0 1 1 *", "UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "yearly"},
    {"@hourly", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "@hourly"},
    {"@daily", "UTC", "2026-01-01T00:00:01Z", "2026-01-02T00:00:00Z", "@daily"},
    {"@weekly", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z", "@weekly: Sunday"},
    {"@monthly", "UTC", "2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z", "@monthly"},
    {"@yearly", "UTC", "2026-01-15T00:00:00Z", "2027-01-01T00:00:00Z", "@yearly"},
    {"  0   3 * * *  ", "America/New_York", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00Z", "spaces; EST (-5)"},
};

}  // namespace

TEST_CASE("cron expressions: the next tick in a time zone", "[cron]") {
    for (auto& c : kNext) {
        INFO(c.expression << " in " << c.zone << " after " << c.after << ": " << c.why);
        auto next = CronExpression::parse(c.expression).next_after(utc(c.after), find_time_zone(c.zone));
        REQUIRE(next);
        CHECK(iso(*next) == c.expected);
    }
}

TEST_CASE("cron expressions: malformed ones are refused with the field named", "[cron]") {
    const std::pair<const char*, const char*> kBad[] = {
        {"", "5 fields"},
        {"* * * *", "5 fields"},
        {"* * * * * *", "5 fields"},
        {"60 * * * *", "minute field '60'"},
        {"* 24 * * *", "hour field"},
        {"* * 0 * *", "day of month field"},
        {"* * * 13 *", "month field"},
        {"* * * * 8", "day of week field"},
        {"*/0 * * * *", "step"},
        {"5-1 * * * *", "backwards"},
        {"a * * * *", "not a number"},
        {"1,,2 * * * *", "missing"},
        {"* * * foo *", "unknown name"},
        {"@every", "unknown cron macro"},
        {"*/x * * * *", "step"},
    };
    for (auto& [text, message] : kBad) {
        INFO("'" << text << "'");
        CHECK_THROWS_WITH(CronExpression::parse(text), Catch::Contains(message));
    }
    CHECK_THROWS_WITH(find_time_zone("Mars/Olympus_Mons"), Catch::Contains("unknown time zone"));
    CHECK_THROWS_WITH(ScheduleTiming::cron("0 0 30 2 *", "UTC"), Catch::Contains("never fires"));
    CHECK_THROWS_AS(ScheduleTiming::every(0, SysSeconds{}), std::invalid_argument);
    CHECK(CronExpression::parse("0 0 30 2 *").next_after(utc("2026-01-01T00:00:00Z"), find_time_zone("UTC")) ==
          std::nullopt);
}

TEST_CASE("interval schedules tick from their anchor", "[schedule]") {
    auto t0 = utc("2026-01-01T00:00:00Z");
    auto every = ScheduleTiming::every(10, t0);
    CHECK(every.next_after(t0 - seconds(5)) == t0);
    CHECK(every.next_after(t0) == t0 + seconds(10));
    CHECK(every.next_after(t0 + seconds(9)) == t0 + seconds(10));
    CHECK(every.next_after(t0 + seconds(10)) == t0 + seconds(20));
}

TEST_CASE("a round enqueues every tick within the grace, and missed ones by policy", "[schedule]") {
    auto t0 = utc("2026-01-01T00:00:00Z");
    auto every_second = ScheduleTiming::every(1, t0);
    const auto grace = seconds(60);

    SECTION("on time: the one tick") {
        auto p = plan_ticks(every_second, MissedTicks::run_once, t0 + seconds(1), t0 + seconds(1), grace, 100);
        REQUIRE(p.on_time.size() == 1);
        CHECK(p.on_time[0] == t0 + seconds(1));
        CHECK_FALSE(p.missed);
        CHECK_FALSE(p.skipped);
        CHECK(p.next_run_at == t0 + seconds(2));
    }
    SECTION("a leader 5 s late (or taking over from a dead one): each tick its own job") {
        auto p = plan_ticks(every_second, MissedTicks::skip, t0 + seconds(1), t0 + seconds(6), grace, 100);
        CHECK(p.on_time.size() == 6);
        CHECK(p.on_time.front() == t0 + seconds(1));
        CHECK(p.on_time.back() == t0 + seconds(6));
        CHECK_FALSE(p.skipped);
        CHECK(p.next_run_at == t0 + seconds(7));
    }
    SECTION("after an outage, run_once: one job for the missed ticks, then the on-time ones") {
        auto p = plan_ticks(every_second, MissedTicks::run_once, t0 + seconds(1), t0 + seconds(1001), grace, 100);
        REQUIRE(p.missed);
        CHECK(*p.missed == t0 + seconds(1));
        CHECK(p.on_time.size() == 61);
        CHECK(p.on_time.front() == t0 + seconds(941));
        CHECK(p.next_run_at == t0 + seconds(1002));
    }
    SECTION("after an outage, skip: the missed ticks get no job") {
        auto p = plan_ticks(every_second, MissedTicks::skip, t0 + seconds(1), t0 + seconds(1001), grace, 100);
        CHECK_FALSE(p.missed);
        CHECK(p.skipped);
        CHECK(p.on_time.size() == 61);
    }
    SECTION("never more than max_jobs in a round: the newest") {
        auto p =
            plan_ticks(every_second, MissedTicks::run_once, t0 + seconds(1), t0 + seconds(500), seconds(1000), 100);
        CHECK(p.on_time.size() == 100);
        CHECK(p.on_time.back() == t0 + seconds(500));
        CHECK(p.skipped);
    }
    SECTION("a daily cron three days behind, run_once: one job") {
        auto daily = ScheduleTiming::cron("0 2 * * *", "UTC");
        auto p = plan_ticks(daily, MissedTicks::run_once, utc("2026-01-01T02:00:00Z"), utc("2026-01-04T01:00:00Z"),
                            grace, 100);
        REQUIRE(p.missed);
        CHECK(iso(*p.missed) == "2026-01-01T02:00:00Z");
        CHECK(p.on_time.empty());
        CHECK(iso(p.next_run_at) == "2026-01-04T02:00:00Z");
    }
}
