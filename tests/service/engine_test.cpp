// The job engine in one process against a real PostgreSQL: every state
// transition, retries and backoff, timeouts, aborts, idempotency, chaining,
// scheduling, priority, progress batching and events.
#include "engine_fixture.h"

#include <atomic>
#include <future>
#include <memory>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using switchyard::engine::JobStatus;

TEST_CASE_METHOD(EngineFixture, "a noop job goes SCHEDULED -> RUNNING -> FINISHED", "[engine]") {
    auto id = enqueue("noop");
    CHECK(status(id) == "SCHEDULED");
    start();
    auto j = job_when(id, "FINISHED");
    CHECK(j["attempt"] == 1);
    CHECK(j["result"]["message"] == "nothing to do");
    CHECK(!j["start_time"].is_null());
    CHECK(!j["finish_time"].is_null());
    CHECK(j["exception"].is_null());
    CHECK(j["worker_id"].is_null());
}

TEST_CASE_METHOD(EngineFixture, "a task that throws ends EXCEPTION with message, type, args and traceback",
                 "[engine]") {
    start();
    auto id = enqueue("sleep", {{"seconds", "soon"}});
    REQUIRE(wait_status(id, "EXCEPTION"));
    auto e = job(id)["exception"];
    CHECK(e["message"] == "argument 'seconds' must be a number");
    CHECK(e["type"] == "std::invalid_argument");
    CHECK(e["args"].size() == 1);
    // One string, lines joined, as CNaaS-NMS stores and its front end shows it.
    REQUIRE(e["traceback"].is_string());
    auto trace = e["traceback"].get<std::string>();
    CHECK(trace.substr(trace.rfind('\n') + 1).find("sleep") != std::string::npos);
    CHECK(job(id)["errors"].size() == 1);
}

TEST_CASE_METHOD(EngineFixture, "a retryable failure retries with growing backoff, then succeeds", "[engine][retry]") {
    start();
    engine::EnqueueRequest r;
    r.max_attempts = 3;
    auto id = enqueue("sleep", {{"fail", 2}}, r);
    auto j = job_when(id, "FINISHED");
    CHECK(j["attempt"] == 3);
    REQUIRE(j["errors"].size() == 2);
    CHECK(j["errors"][0]["attempt"] == 1);
    CHECK(j["errors"][1]["attempt"] == 2);
    CHECK(j["errors"][0]["message"] == "asked to fail on attempt 1");
}

TEST_CASE_METHOD(EngineFixture, "retries stop at max attempts and keep every attempt's error", "[engine][retry]") {
    start();
    engine::EnqueueRequest r;
    r.max_attempts = 3;
    auto id = enqueue("sleep", {{"fail", true}}, r);
    auto j = job_when(id, "EXCEPTION");
    CHECK(j["attempt"] == 3);
    CHECK(j["errors"].size() == 3);
    CHECK(j["exception"]["message"] == "gave up after 3 attempts: asked to fail on attempt 3");
    CHECK(j["exception"]["type"] == "switchyard::tasks::RetryableError");
}

TEST_CASE_METHOD(EngineFixture, "a retry waits for its backoff before running again", "[engine][retry]") {
    settings.jobs.retry_backoff_base_ms = Milliseconds(1500);
    start();
    engine::EnqueueRequest r;
    r.max_attempts = 2;
    auto id = enqueue("sleep", {{"fail", 1}}, r);
    // The retry's scheduled_time is the failure's completion time plus
    // 1.5 s +-20 %. Read after that completion, it lies at most 1.8 s ahead
    // (however late we read it) ...
    REQUIRE(wait_for([&] { return job(id)["errors"].size() == 1; }));
    {
        pqxx::read_transaction tx(*conn);
        double ahead =
            tx.exec_params("SELECT extract(epoch FROM scheduled_time - now()) FROM jobs WHERE id = $1", id)[0][0]
                .as<double>();
        CHECK(ahead <= 1.8);
    }
    REQUIRE(wait_status(id, "FINISHED"));
    CHECK(job(id)["attempt"] == 2);
    // ... and at least 1.2 s after the failed attempt ended (the completion
    // comes later still); the second attempt started no sooner.
    pqxx::read_transaction tx(*conn);
    auto row = tx.exec_params(
        "SELECT extract(epoch FROM scheduled_time - (errors->0->>'at')::timestamptz), "
        "start_time >= scheduled_time FROM jobs WHERE id = $1",
        id)[0];
    CHECK(row[0].as<double>() >= 1.2 - 0.001);  // less a rounding to microseconds
    CHECK(row[1].as<bool>());
}

TEST_CASE_METHOD(EngineFixture, "a job past its timeout is aborted and ends EXCEPTION", "[engine][timeout]") {
    start();
    engine::EnqueueRequest r;
    r.timeout_seconds = 1;
    auto id = enqueue("sleep", {{"seconds", 30}, {"lock", "t1"}}, r);
    auto j = job_when(id, "EXCEPTION", std::chrono::seconds(10));
    CHECK(j["exception"]["type"] == "JobTimeout");
    CHECK(j["exception"]["message"] == "job timed out after 1 s");
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}

TEST_CASE_METHOD(EngineFixture, "a task that ignores its timeout is ended without it", "[engine][timeout]") {
    start();
    engine::EnqueueRequest r;
    r.timeout_seconds = 1;
    auto id = enqueue("sleep", {{"seconds", 4}, {"ignore_abort", true}, {"lock", "stuck"}}, r);
    auto j = job_when(id, "EXCEPTION", std::chrono::seconds(10));
    CHECK(j["exception"]["message"].get<std::string>().find("did not stop within 1 s and was abandoned") !=
          std::string::npos);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
    // The queue keeps its capacity: other jobs still run.
    auto next = enqueue("noop");
    REQUIRE(wait_status(next, "FINISHED"));
}

TEST_CASE_METHOD(EngineFixture, "aborting a SCHEDULED job ends it ABORTED at once with the reason", "[engine][abort]") {
    engine::EnqueueRequest r;
    r.delay_seconds = 3600;
    auto id = enqueue("noop", {}, r);
    auto out = abort_job(id, "change window closed", "alice");
    CHECK(out.found);
    CHECK(out.before == JobStatus::scheduled);
    CHECK(out.after == JobStatus::aborted);
    auto j = job(id);
    CHECK(j["status"] == "ABORTED");
    CHECK(j["result"]["message"] == "Job aborted: change window closed");
    CHECK(j["result"]["aborted_by"] == "alice");
    CHECK(!j["finish_time"].is_null());
}

TEST_CASE_METHOD(EngineFixture, "aborting a RUNNING job goes through ABORTING to ABORTED", "[engine][abort]") {
    start();
    auto id = enqueue("sleep", {{"seconds", 60}, {"lock", "devices"}});
    REQUIRE(wait_status(id, "RUNNING"));
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 1; }));
    {
        pqxx::work tx(*conn);
        auto out = engine::abort_job(tx, id, "operator request", "bob");
        CHECK(out.after == JobStatus::aborting);
        // Read in the abort's own transaction: once it commits, the job may
        // notice, stop and free its lock before another read could see it.
        CHECK(tx.exec("SELECT count(*) FROM job_locks WHERE abort")[0][0].as<long>() == 1);
        tx.commit();
    }
    auto j = job_when(id, "ABORTED", std::chrono::seconds(5));
    CHECK(j["result"]["message"] == "Job aborted: operator request");
    CHECK(j["result"]["aborted_by"] == "bob");
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}

TEST_CASE_METHOD(EngineFixture, "ended jobs cannot be aborted", "[engine][abort]") {
    start();
    auto id = enqueue("noop");
    REQUIRE(wait_status(id, "FINISHED"));
    pqxx::work tx(*conn);
    auto out = engine::abort_job(tx, id, "too late", "carol");
    CHECK(out.found);
    CHECK(out.before == JobStatus::finished);
    CHECK(out.after == JobStatus::finished);
    CHECK_FALSE(engine::abort_job(tx, 999999, "x", "y").found);
}

TEST_CASE_METHOD(EngineFixture, "a second enqueue with the same idempotency key returns the first job", "[engine]") {
    engine::EnqueueRequest r;
    r.function_name = "noop";
    r.idempotency_key = "sync-2026-11-23";
    pqxx::work tx(*conn);
    auto a = engine::enqueue(tx, registry, settings, r);
    auto b = engine::enqueue(tx, registry, settings, r);
    tx.commit();
    CHECK_FALSE(a.existing);
    CHECK(b.existing);
    CHECK(a.id == b.id);
    CHECK(count("SELECT count(*) FROM jobs") == 1);
}

TEST_CASE_METHOD(EngineFixture, "bad enqueue requests are refused with a clear message", "[engine]") {
    pqxx::work tx(*conn);
    engine::EnqueueRequest r;
    r.function_name = "reboot_everything";
    CHECK_THROWS_WITH(engine::enqueue(tx, registry, settings, r),
                      Catch::Contains("unknown job kind 'reboot_everything'"));
    r.function_name = "noop";
    r.priority = 11;
    CHECK_THROWS_WITH(engine::enqueue(tx, registry, settings, r), Catch::Contains("priority"));
    r.priority = 0;
    r.queue = "nowhere";
    CHECK_THROWS_WITH(engine::enqueue(tx, registry, settings, r), Catch::Contains("not served"));
    r.queue = "";
    r.max_attempts = 0;
    CHECK_THROWS_WITH(engine::enqueue(tx, registry, settings, r), Catch::Contains("max attempts"));
    r.max_attempts = 1;
    r.args = json::array();
    CHECK_THROWS_WITH(engine::enqueue(tx, registry, settings, r), Catch::Contains("JSON object"));
}

TEST_CASE_METHOD(EngineFixture, "a finished job schedules its next job in the same transaction", "[engine]") {
    start();
    engine::EnqueueRequest r;
    r.scheduled_by = "dave";
    auto id = enqueue("noop", {{"then", {{"function_name", "sleep"}, {"args", {{"seconds", 0}}}}}}, r);
    REQUIRE(wait_status(id, "FINISHED"));
    auto next = job(id)["next_job_id"];
    REQUIRE(next.is_number());
    REQUIRE(wait_status(next.get<std::int64_t>(), "FINISHED"));
    auto n = job(next.get<std::int64_t>());
    CHECK(n["function_name"] == "sleep");
    CHECK(n["scheduled_by"] == "dave");
}

TEST_CASE_METHOD(EngineFixture, "a failed job schedules no next job", "[engine]") {
    start();
    auto id = enqueue("sleep", {{"fail", true}, {"then", {{"function_name", "noop"}}}});
    REQUIRE(wait_status(id, "EXCEPTION"));
    CHECK(job(id)["next_job_id"].is_null());
    CHECK(count("SELECT count(*) FROM jobs") == 1);
}

TEST_CASE_METHOD(EngineFixture, "a job scheduled for later does not start before its time", "[engine]") {
    start();
    engine::EnqueueRequest r;
    r.delay_seconds = 1.5;
    auto id = enqueue("noop", {}, r);
    REQUIRE(wait_status(id, "FINISHED", std::chrono::seconds(10)));
    pqxx::read_transaction tx(*conn);
    auto row = tx.exec_params(
        "SELECT start_time >= scheduled_time, scheduled_time - created_time >= interval '1.4 s' "
        "FROM jobs WHERE id = $1",
        id)[0];
    CHECK(row[0].as<bool>());
    CHECK(row[1].as<bool>());
}

TEST_CASE_METHOD(EngineFixture, "higher priority jobs are claimed first", "[engine]") {
    settings.jobs.queues = {{"default", 1}};
    settings.jobs.claim_batch = 1;
    std::vector<std::int64_t> low, high;
    engine::EnqueueRequest lo, hi;
    lo.priority = 9;
    hi.priority = 1;
    for (int i = 0; i < 3; ++i) low.push_back(enqueue("noop", {}, lo));
    for (int i = 0; i < 3; ++i) high.push_back(enqueue("noop", {}, hi));
    start();
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM jobs WHERE status = 'FINISHED'") == 6; }));
    CHECK(count("SELECT count(*) FROM jobs h, jobs l WHERE h.priority = 1 AND l.priority = 9 "
                "AND h.start_time > l.start_time") == 0);
}

TEST_CASE_METHOD(EngineFixture, "progress is written in batches while the job runs, and completely at the end",
                 "[engine][progress]") {
    // 40 devices, 25 ms apart, in two halves; between them the job waits
    // until the test has seen the first half written (so it surely was,
    // while the job ran). The task measures how long it spent reporting:
    // writes at most one flush interval apart can number at most that time
    // over the interval, plus the claim and the halves' edges, however slow
    // the machine; one write per device would be 40 and more.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    auto reporting_ms = std::make_shared<std::atomic<long>>(0);
    registry.add({.function_name = "fake_devices", .run = [released, reporting_ms](tasks::JobContext& ctx) {
                      auto report = [&](int from, int to) {
                          auto start = std::chrono::steady_clock::now();
                          for (int i = from; i < to; ++i) {
                              ctx.device_finished("dev" + std::to_string(i));
                              std::this_thread::sleep_for(std::chrono::milliseconds(25));
                          }
                          *reporting_ms += std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::steady_clock::now() - start)
                                               .count();
                      };
                      report(0, 20);
                      released.wait_for(std::chrono::seconds(60));
                      report(20, 40);
                      ctx.set_change_score(42);
                  }});
    // Count the job's progress writes through the events they publish.
    auto listen = store::connect(url, std::chrono::seconds(5));
    struct Counter : pqxx::notification_receiver {
        using pqxx::notification_receiver::notification_receiver;
        int updates = 0;
        void operator()(const std::string& payload, int) override {
            if (payload.find("\"RUNNING\"") != std::string::npos) ++updates;
        }
    } counter(*listen, "switchyard_job_events");
    start();
    auto id = enqueue("fake_devices");
    REQUIRE(wait_for([&] { return job(id)["finished_devices"].size() > 0 && status(id) == "RUNNING"; }));
    release.set_value();
    auto j = job_when(id, "FINISHED");
    CHECK(j["finished_devices"].size() == 40);
    CHECK(j["finished_devices"].front() == "dev0");
    CHECK(j["finished_devices"].back() == "dev39");
    CHECK(j["change_score"] == 42);
    listen->get_notifs();
    INFO(counter.updates << " writes in " << *reporting_ms << " ms of reporting, "
                         << settings.jobs.progress_flush_ms.count() << " ms flushes");
    CHECK(counter.updates >= 2);  // the claim, and a write while it ran
    // Per half: writes at least a flush apart, all but the last while it
    // reports: at most its time over the interval + 2. Plus the claim.
    CHECK(counter.updates <= 5 + *reporting_ms / settings.jobs.progress_flush_ms.count());
}

TEST_CASE_METHOD(EngineFixture, "every state change is published with NOTIFY", "[engine][events]") {
    auto listen = store::connect(url, std::chrono::seconds(5));
    struct Collector : pqxx::notification_receiver {
        using pqxx::notification_receiver::notification_receiver;
        std::vector<std::string> states;
        void operator()(const std::string& payload, int) override {
            auto doc = json::parse(payload);
            for (auto& e : doc["jobs"]) states.push_back(e["status"]);
        }
    } events(*listen, "switchyard_job_events");
    start();
    auto id = enqueue("noop");
    REQUIRE(wait_status(id, "FINISHED"));
    REQUIRE(wait_for([&] {
        listen->get_notifs();
        return events.states.size() >= 3;
    }));
    CHECK(events.states == std::vector<std::string>{"SCHEDULED", "RUNNING", "FINISHED"});
}

TEST_CASE_METHOD(EngineFixture, "a result written in parts becomes the job's result, and its parts are deleted",
                 "[engine][result_parts]") {
    // A writer of 30 members in parts of 100 bytes, begun twice (the first
    // abandoned after some parts), then the second finished: the result is
    // the second document, masked, and no part is left.
    auto write = [](tasks::JobContext& ctx, int members, bool finish) {
        auto sink = ctx.result_sink();
        devices::SafeJsonWriter doc(sink.get(), 100);
        doc.open("devices");
        for (int i = 0; i < members; ++i)
            doc.add("r" + std::to_string(i), {{"message", "done"}, {"password", "pw" + std::to_string(i)}});
        doc.close();
        if (finish) REQUIRE_FALSE(std::move(doc).finish().has_value());
    };
    registry.add({.function_name = "parts", .run = [write](tasks::JobContext& ctx) {
                      ctx.set_result({{"earlier", true}});
                      write(ctx, 12, false);
                      write(ctx, 30, true);
                  }});
    // A result set after the parts replaces them.
    registry.add({.function_name = "parts_then_set", .run = [write](tasks::JobContext& ctx) {
                      write(ctx, 30, true);
                      ctx.set_result({{"later", true}});
                  }});
    start();
    auto parts = enqueue("parts");
    auto replaced = enqueue("parts_then_set");
    REQUIRE(wait_status(parts, "FINISHED"));
    REQUIRE(wait_status(replaced, "FINISHED"));
    auto result = job(parts)["result"];
    REQUIRE(result["devices"].size() == 30);
    CHECK(result["devices"]["r29"] == nlohmann::json({{"message", "done"}, {"password", "****"}}));
    CHECK_FALSE(result.contains("earlier"));
    CHECK(job(replaced)["result"] == nlohmann::json({{"later", true}}));
    CHECK(count("SELECT count(*) FROM job_result_parts") == 0);
}
