// Schedules against a real PostgreSQL: the leader's round (each due tick one
// job, however often the round runs), missed ticks by policy, a broken
// schedule that says why; retry of an ended job; duration estimates and the
// timeout they give. (Three serve processes ticking one schedule are in
// process_test.cpp.)
#include "engine/engine_core.h"
#include "engine/maintenance.h"
#include "engine/schedule_store.h"
#include "engine_fixture.h"
#include "tasks/device_job_catalog.h"

#include <future>
#include <set>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

struct ScheduleFixture : EngineFixture {
    engine::EngineCore core{settings, registry, url};

    std::int64_t create(engine::ScheduleDefinition s) {
        pqxx::work tx(*conn);
        auto id = engine::create_schedule(tx, registry, settings, s, "tester");
        tx.commit();
        REQUIRE(id);
        return *id;
    }
    std::size_t round() { return engine::enqueue_schedule_ticks(core, *conn); }
    json schedule(std::int64_t id) {
        pqxx::read_transaction tx(*conn);
        auto s = engine::get_schedule(tx, id);
        REQUIRE(s);
        return *s;
    }
    // The schedule's next tick moved `seconds` into the past (a leader late,
    // or every process stopped that long).
    void behind(std::int64_t id, int seconds) {
        exec("UPDATE schedules SET next_run_at = now() - make_interval(secs => " + std::to_string(seconds) +
             "), anchor = now() - make_interval(secs => " + std::to_string(seconds) +
             ") WHERE id = " + std::to_string(id));
    }
};

engine::ScheduleDefinition every(const std::string& name, int seconds) {
    engine::ScheduleDefinition s;
    s.name = name;
    s.function_name = "noop";
    s.interval_seconds = seconds;
    return s;
}

}  // namespace

TEST_CASE_METHOD(ScheduleFixture, "each due tick becomes one job, whatever the number of rounds", "[schedules]") {
    auto id = create(every("every-second", 1));
    behind(id, 5);
    auto first = round();
    CHECK(first >= 5);    // ticks at -5 s ... now
    CHECK(round() <= 1);  // at most the tick of the second that just began
    CHECK(round() <= 1);
    long jobs = count("SELECT count(*) FROM jobs");
    CHECK(jobs == count("SELECT count(DISTINCT idempotency_key) FROM jobs WHERE idempotency_key LIKE 'schedule:" +
                        std::to_string(id) + ":%'"));
    CHECK(count("SELECT count(*) FROM jobs WHERE scheduled_by = 'schedule:every-second'") == jobs);
    // Consecutive ticks, none twice, none left out.
    CHECK(count("SELECT max(split_part(idempotency_key, ':', 3)::bigint) - min(split_part(idempotency_key, ':', "
                "3)::bigint) + 1 "
                "FROM jobs") == jobs);
    auto s = schedule(id);
    CHECK(s["last_job_id"] == count("SELECT max(id) FROM jobs"));
    CHECK(s["last_error"].is_null());
    CHECK(count("SELECT count(*) FROM schedules WHERE next_run_at > now() - interval '1 s'") == 1);
}

TEST_CASE_METHOD(ScheduleFixture, "ticks missed in an outage: one job (run_once) or none (skip)", "[schedules]") {
    settings.jobs.schedule_misfire_grace_seconds = std::chrono::seconds(60);
    auto once = create(every("once", 10));
    auto s = every("skip", 10);
    s.missed = engine::MissedTicks::skip;
    auto skip = create(s);
    behind(once, 3600);
    behind(skip, 3600);
    round();
    auto of = [&](std::int64_t id) {
        return "SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'schedule:" + std::to_string(id) + ":%'";
    };
    // The last minute's ticks (6 or 7) on time; before them, 354 missed ticks.
    long on_time = count(of(skip));
    CHECK(on_time >= 6);
    CHECK(on_time <= 7);
    CHECK(count(of(once)) == on_time + 1);
    CHECK(count(of(once) + " AND comment LIKE '%missed since%run once'") == 1);
}

TEST_CASE_METHOD(ScheduleFixture, "disabled schedules enqueue nothing; enabling starts from the next tick",
                 "[schedules]") {
    auto s = every("off", 1);
    s.enabled = false;
    auto id = create(s);
    behind(id, 30);
    round();
    CHECK(count("SELECT count(*) FROM jobs") == 0);
    {
        pqxx::work tx(*conn);
        REQUIRE(engine::update_schedule(tx, registry, settings, id,
                                        [](engine::ScheduleDefinition& d) { d.enabled = true; }));
        tx.commit();
    }
    // The 30 s it was off are not made up for.
    CHECK(count("SELECT count(*) FROM schedules WHERE next_run_at > now()") == 1);
    round();
    CHECK(count("SELECT count(*) FROM jobs") <= 1);
}

TEST_CASE_METHOD(ScheduleFixture, "a schedule whose kind is gone says so and does not stop the others", "[schedules]") {
    auto broken = create(every("broken", 1));
    auto fine = create(every("fine", 1));
    exec("UPDATE schedules SET function_name = 'retired_kind' WHERE id = " + std::to_string(broken));
    behind(broken, 2);
    behind(fine, 2);
    round();
    CHECK(schedule(broken)["last_error"].get<std::string>().find("unknown job kind 'retired_kind'") !=
          std::string::npos);
    CHECK(schedule(fine)["last_error"].is_null());
    CHECK(count("SELECT count(*) FROM jobs WHERE function_name = 'noop'") >= 3);
    CHECK(count("SELECT count(*) FROM schedules WHERE next_run_at > now() - interval '1 s'") == 2);
}

TEST_CASE_METHOD(ScheduleFixture, "bad schedules are refused with a clear message", "[schedules]") {
    pqxx::work tx(*conn);
    auto refused = [&](engine::ScheduleDefinition s, const std::string& message) {
        INFO(message);
        CHECK_THROWS_WITH(engine::create_schedule(tx, registry, settings, s, "t"), Catch::Contains(message));
    };
    auto s = every("x", 60);
    s.function_name = "reboot_everything";
    refused(s, "unknown job kind");
    s = every("x", 60);
    s.cron = "0 2 * * *";
    refused(s, "exactly one of cron and interval_seconds");
    s.interval_seconds.reset();
    s.time_zone = "Mars/Olympus_Mons";
    refused(s, "unknown time zone");
    s.time_zone = "UTC";
    s.cron = "0 25 * * *";
    refused(s, "hour field");
    s = every("", 60);
    refused(s, "name");
    s = every("x", 0);
    refused(s, "interval");
    s = every("x", 60);
    s.priority = 11;
    refused(s, "priority");
    s = every("x", 60);
    s.arguments = json::array();
    refused(s, "JSON object");
    // A name is taken once.
    CHECK(engine::create_schedule(tx, registry, settings, every("twice", 60), "t"));
    CHECK_FALSE(engine::create_schedule(tx, registry, settings, every("twice", 60), "t"));
}

TEST_CASE_METHOD(ScheduleFixture, "a rename to a taken name is a 400's message, even when the name was taken meanwhile",
                 "[schedules]") {
    auto a = create(every("a", 60));
    auto b = create(every("b", 60));
    auto rename_to = [](std::string name) { return [name](engine::ScheduleDefinition& d) { d.name = name; }; };
    {
        pqxx::work tx(*conn);
        CHECK_THROWS_WITH(engine::update_schedule(tx, registry, settings, b, rename_to("a")),
                          Catch::Contains("another schedule is called 'a'"));
    }
    // Two admins rename a and b to x at once: the second waits on the name's
    // index until the first commits, and must then be told the name is
    // taken (it was a unique_violation: a 500).
    pqxx::work first(*conn);
    REQUIRE(engine::update_schedule(first, registry, settings, a, rename_to("x")));
    pqxx::connection other(url);
    auto second = std::async(std::launch::async, [&]() -> std::string {
        pqxx::work tx(other);
        try {
            engine::update_schedule(tx, registry, settings, b, rename_to("x"));
            tx.commit();
            return "renamed";
        } catch (const std::invalid_argument& e) {
            return std::string("refused: ") + e.what();
        } catch (const std::exception& e) {
            return std::string("failed: ") + e.what();
        }
    });
    pqxx::connection watcher(url);
    auto waiting = [&] {
        pqxx::nontransaction tx(watcher);
        return tx
            .exec1(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
                "query LIKE '%UPDATE schedules%' AND pid <> pg_backend_pid()")[0]
            .as<long>();
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (waiting() == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(waiting() == 1);
    first.commit();
    CHECK(second.get() == "refused: another schedule is called 'x'");
}

TEST_CASE_METHOD(EngineFixture, "an ended job is retried as a new job linked both ways, once", "[engine][retry]") {
    engine::EnqueueRequest r;
    r.comment = "nightly";
    r.ticket_ref = "CHG-1";
    r.priority = 3;
    auto id = enqueue("sleep", {{"seconds", 0}, {"lock", "x"}}, r);
    auto retry = [&](std::int64_t which) {
        pqxx::work tx(*conn);
        auto out = engine::retry_job(tx, registry, settings, which, "erin");
        tx.commit();
        return out;
    };
    using Refused = engine::RetryOutcome::Refused;
    CHECK(retry(id).refused == Refused::not_ended);
    CHECK(retry(999999).refused == Refused::not_found);
    exec("UPDATE jobs SET status = 'EXCEPTION', finish_time = now() WHERE id = " + std::to_string(id));
    auto out = retry(id);
    REQUIRE(out.refused == Refused::no);
    auto n = job(out.retry_id);
    CHECK(n["status"] == "SCHEDULED");
    CHECK(n["function_name"] == "sleep");
    CHECK(n["start_arguments"] == json({{"seconds", 0}, {"lock", "x"}}));
    CHECK(n["retry_of"] == id);
    CHECK(n["priority"] == 3);
    CHECK(n["scheduled_by"] == "erin");
    CHECK(n["ticket_ref"] == "CHG-1");
    CHECK(n["comment"] == "retry of job " + std::to_string(id) + ": nightly");
    CHECK(job(id)["retried_by"] == out.retry_id);
    // A second retry names the first instead of making another job.
    auto again = retry(id);
    CHECK(again.refused == Refused::retried_already);
    CHECK(again.retry_id == out.retry_id);
    CHECK(count("SELECT count(*) FROM jobs") == 2);
}

TEST_CASE_METHOD(EngineFixture, "a job's duration is estimated from earlier ones; its default timeout follows",
                 "[engine][eta]") {
    settings.jobs.estimate_timeout_factor = 3;
    settings.jobs.estimate_timeout_min_seconds = std::chrono::seconds(60);
    settings.jobs.default_timeout_seconds = std::chrono::seconds(3600);
    auto without = enqueue("noop");
    CHECK(job(without)["estimated_seconds"].is_null());
    CHECK(job(without)["timeout_seconds"] == 3600);
    // Three finished noops of 100, 200 and 300 s (and one failed, not counted).
    for (int seconds : {100, 200, 300, 5})
        exec(
            "INSERT INTO jobs (function_name, queue, status, start_time, finish_time, max_attempts, timeout_seconds, "
            "retry_safe) VALUES ('noop', 'default', '" +
            std::string(seconds == 5 ? "EXCEPTION" : "FINISHED") +
            "', now() - interval '1 hour', now() - interval '1 hour' + make_interval(secs => " +
            std::to_string(seconds) + "), 1, 60, true)");
    auto with = enqueue("noop");
    CHECK(job(with)["estimated_seconds"] == 200.0);
    CHECK(job(with)["timeout_seconds"] == 600);  // 200 s x 3
    engine::EnqueueRequest own;
    own.timeout_seconds = 30;
    CHECK(job(enqueue("noop", {}, own))["timeout_seconds"] == 30);  // a timeout asked for wins
    // While it runs: the estimate less the time spent.
    exec("UPDATE jobs SET status = 'RUNNING', start_time = now() - interval '50 s' WHERE id = " + std::to_string(with));
    auto eta = job(with)["eta_seconds"];
    REQUIRE(eta.is_number());
    CHECK(eta.get<double>() <= 150.0);
    CHECK(eta.get<double>() >= 140.0);
}

TEST_CASE_METHOD(EngineFixture, "a device job is estimated per device; a job that ran on no device is no sample",
                 "[engine][eta]") {
    registry.add({.function_name = "per_device",
                  .run = [](tasks::JobContext&) {},
                  .retry_safe = true,
                  .device_count = tasks::named_device_count});
    settings.jobs.estimate_timeout_min_seconds = std::chrono::seconds(1);
    // Finished jobs of 100 s on 10 devices, 40 s on 4 and 90 s on 3 (its
    // hostnames; it reported no progress): 10, 10 and 30 s a device. Then
    // jobs that selected no device, ended quickly: they say nothing of how
    // long a device takes, and must not pull the figure down.
    auto finished = [&](int seconds, const std::string& progress, const std::string& arguments) {
        exec(
            "INSERT INTO jobs (function_name, queue, status, start_time, finish_time, max_attempts, timeout_seconds, "
            "retry_safe, progress, start_arguments) VALUES ('per_device', 'default', 'FINISHED', "
            "now() - interval '1 hour', now() - interval '1 hour' + make_interval(secs => " +
            std::to_string(seconds) + "), 1, 600, true, '" + progress + "', '" + arguments + "')");
    };
    finished(100, R"({"total": 10, "done": 10})", "{}");
    finished(40, R"({"total": 4, "done": 4})", "{}");
    finished(90, "{}", R"({"hostnames": ["a", "b", "c"]})");
    for (int i = 0; i < 5; ++i) finished(1, R"({"total": 0, "done": 0})", R"({"hostnames": []})");
    auto two = enqueue("per_device", {{"hostnames", {"x", "y"}}});
    CHECK(job(two)["estimated_seconds"].get<double>() == Approx(2 * (10.0 + 10.0 + 30.0) / 3));
    // A selection by type, group or all is counted only when it runs: per job.
    CHECK(job(enqueue("per_device", {{"all", true}}))["estimated_seconds"].is_number());

    // While it runs: from its own pace once devices finished (elapsed /
    // finished x left), here 60 s for 2 of 8 devices: 180 s left.
    exec(
        "UPDATE jobs SET status = 'RUNNING', start_time = now() - interval '60 s', "
        "finished_devices = '[\"a\", \"b\"]', progress = '{\"total\": 8, \"done\": 2}' WHERE id = " +
        std::to_string(two));
    auto eta = job(two)["eta_seconds"];
    REQUIRE(eta.is_number());
    CHECK(eta.get<double>() <= 180.0);
    CHECK(eta.get<double>() >= 170.0);
}
