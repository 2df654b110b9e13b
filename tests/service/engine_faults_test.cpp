// One bad job never stops the engine: outcomes the database refuses, bytes
// that are not UTF-8, workers that died twice, and a stop that a task which
// ignores aborts cannot hold up. (The same against real processes, SIGTERM
// and a job that kills its worker: process_test.cpp.)
#include "engine_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A retry-safe job with attempts to spare whose worker died once before (it
// was rescued then), as a worker left it that is gone: attempt `attempt`
// RUNNING under worker `worker` (host `host`, pid 4242), dead a minute ago
// or, when `retired`, stopped on purpose. Returns the job's id.
std::int64_t job_of_a_lost_worker(EngineFixture& f, int worker, const std::string& host, int attempt, bool retired) {
    engine::EnqueueRequest r;
    r.max_attempts = 10;
    auto id = f.enqueue("sleep_idempotent", {{"seconds", 0}}, r);
    f.exec("UPDATE jobs SET worker_deaths = 1 WHERE id = " + std::to_string(id));
    f.exec(
        "INSERT INTO workers (id, hostname, pid, lease_seconds, heartbeat_at, dead_at, dead_reason, retired) "
        "VALUES (" +
        std::to_string(worker) + ", '" + host + "', 4242, 1, now() - interval '1 minute', " +
        (retired ? "now(), 'the service shut down leaving 1 job(s) unfinished', true)" : "NULL, NULL, false)"));
    f.exec("UPDATE jobs SET status = 'RUNNING', attempt = " + std::to_string(attempt) +
           ", worker_id = " + std::to_string(worker) + ", start_time = now() WHERE id = " + std::to_string(id));
    return id;
}

// A job kind whose result the test database refuses to store (a trigger
// raises for it): the stand-in for any outcome PostgreSQL will not take.
void refuse_poisoned_results(EngineFixture& f) {
    f.exec(R"(CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                  IF NEW.result ? 'poison' THEN RAISE EXCEPTION 'this test refuses to store the result'; END IF;
                  RETURN NEW;
              END $$)");
    f.exec("CREATE TRIGGER refuse_poison BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
    f.registry.add({.function_name = "poisoned",
                    .run =
                        [](tasks::JobContext& ctx) {
                            ctx.acquire_lock("poisoned", 0ms);
                            ctx.set_result({{"poison", true}});
                        },
                    .retry_safe = true,
                    .default_max_attempts = 3});
}

}  // namespace

TEST_CASE_METHOD(EngineFixture, "an outcome the database refuses ends that job EXCEPTION; every other job is stored",
                 "[engine][faults]") {
    refuse_poisoned_results(*this);
    settings.jobs.queues = {{"default", 8}};
    // Enqueued before the engine starts, so the poisoned outcome is likely
    // written in one batch with others.
    std::vector<std::int64_t> others;
    for (int i = 0; i < 10; ++i) others.push_back(enqueue("noop"));
    auto poisoned = enqueue("poisoned");
    for (int i = 0; i < 10; ++i) others.push_back(enqueue("noop"));
    start();

    REQUIRE(wait_status(poisoned, "EXCEPTION"));
    for (auto id : others) REQUIRE(wait_status(id, "FINISHED"));
    auto j = job(poisoned);
    CHECK(j["exception"]["type"] == "UnstorableOutcome");
    auto message = j["exception"]["message"].get<std::string>();
    CHECK(message.find("outcome (FINISHED) could not be stored") != std::string::npos);
    CHECK(message.find("this test refuses to store the result") != std::string::npos);
    CHECK(j["attempt"] == 1);  // ended, not retried
    CHECK(j["errors"].size() == 1);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);

    // The engine goes on: a later job, and a later poisoned one, end too.
    auto later = enqueue("noop");
    auto poisoned_again = enqueue("poisoned");
    REQUIRE(wait_status(later, "FINISHED"));
    REQUIRE(wait_status(poisoned_again, "EXCEPTION"));
    CHECK(engine->stop());
}

TEST_CASE_METHOD(EngineFixture, "bytes that are not UTF-8 and NULs in a result are stored replaced, never a failure",
                 "[engine][faults]") {
    const std::string device_text = std::string("description Gr\xfc\xdf") + '\0' + "e uplink";
    registry.add({.function_name = "device_bytes", .run = [&](tasks::JobContext& ctx) {
                      ctx.report_progress({{"last_line", device_text}});
                      ctx.set_result({{"config", device_text}, {device_text, "as a key"}});
                  }});
    start();
    auto id = enqueue("device_bytes");
    auto j = job_when(id, "FINISHED");
    const std::string replaced =
        "description Gr\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
        "e uplink";
    CHECK(j["result"]["config"] == replaced);
    CHECK(j["result"][replaced] == "as a key");
    CHECK(j["progress"]["last_line"] == replaced);
}

TEST_CASE_METHOD(EngineFixture, "a job whose workers died twice is not run a third time, whatever its attempts",
                 "[engine][faults][rescuer]") {
    // Its first worker died (rescued once before); now its second one did.
    auto id = job_of_a_lost_worker(*this, 9001, "crashing-host", 2, false);
    start();
    auto j = job_when(id, "EXCEPTION", 15s);
    CHECK(j["attempt"] == 2);
    CHECK(j["exception"]["type"] == "WorkerLost");
    auto message = j["exception"]["message"].get<std::string>();
    CHECK(message.find("crashing-host pid 4242) died while running attempt 2") != std::string::npos);
    CHECK(message.find("workers died 2 times while running this job, so it is not run again") != std::string::npos);
    CHECK(count("SELECT worker_deaths FROM jobs WHERE id = " + std::to_string(id)) == 2);
}

TEST_CASE_METHOD(EngineFixture, "a worker that stopped on purpose does not count as a death",
                 "[engine][faults][rescuer]") {
    auto id = job_of_a_lost_worker(*this, 9002, "stopping-host", 1, true);
    start();
    auto j = job_when(id, "FINISHED", 15s);
    CHECK(j["attempt"] == 2);
    CHECK(j["errors"][0]["message"].get<std::string>().find("stopping-host pid 4242) stopped while running") !=
          std::string::npos);
    CHECK(count("SELECT worker_deaths FROM jobs WHERE id = " + std::to_string(id)) == 1);
}

TEST_CASE_METHOD(EngineFixture, "stop is bounded by the grace and abort windows when a task ignores aborts",
                 "[engine][faults][shutdown]") {
    settings.jobs.shutdown_grace_seconds = std::chrono::seconds(1);
    // Long enough for the polite job to stop and its outcome to be written
    // on a loaded machine under ASan (with 1 s it was once left behind).
    settings.jobs.shutdown_abort_seconds = std::chrono::seconds(3);
    start();
    auto stuck = enqueue("sleep_idempotent", {{"seconds", 600}, {"ignore_abort", true}, {"lock", "stuck"}});
    auto polite = enqueue("sleep_idempotent", {{"seconds", 600}, {"lock", "polite"}});
    // Both tasks have begun on their threads (each has taken its lock), not
    // just been claimed: a claimed job not yet started is dropped at a stop.
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 2; }));
    auto worker = engine->worker_id();

    auto began = std::chrono::steady_clock::now();
    CHECK_FALSE(engine->stop());  // a thread was left inside the stuck task
    auto took = std::chrono::steady_clock::now() - began;
    // grace 1 s + abort 3 s + last writes at most 3 s, with margin for a loaded machine.
    CHECK(took < 12s);

    // The polite job was aborted; the stuck one was left to the rescuer (here
    // the engine's own, as it led maintenance), and the worker says why.
    REQUIRE(wait_status(polite, "ABORTED", 5s));
    pqxx::read_transaction tx(*conn);
    auto w = tx.exec_params("SELECT retired, dead_reason FROM workers WHERE id = $1", worker);
    tx.commit();
    REQUIRE(w.size() == 1);
    CHECK(w[0][0].as<bool>());
    auto reason = w[0][1].as<std::string>();
    CHECK(reason.find("leaving 1 job(s) unfinished after the 1 s shutdown grace") != std::string::npos);
    CHECK(reason.find(std::to_string(stuck) + " (sleep_idempotent)") != std::string::npos);

    // Retried (retry-safe; a stop is not a death).
    REQUIRE(wait_for([&] { return job(stuck)["errors"].size() == 1; }, 15s));
    CHECK(status(stuck) == "SCHEDULED");
    auto e = job(stuck)["errors"][0]["message"].get<std::string>();
    CHECK(e.find("stopped while running attempt 1: the service shut down leaving 1 job(s) unfinished") !=
          std::string::npos);
    CHECK(count("SELECT worker_deaths FROM jobs WHERE id = " + std::to_string(stuck)) == 0);
    exec("UPDATE jobs SET status = 'ABORTED' WHERE id = " + std::to_string(stuck));  // not run again here
}
