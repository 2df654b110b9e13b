// One bad job never stops a real `switchyard serve`: a job that kills its
// worker is not retried into the next worker forever, and SIGTERM ends the
// process in bounded time whatever a task or the database does.
#include "serve_process.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("a job that kills its worker ends EXCEPTION at the second death, whatever its attempts",
          "[processes][faults]") {
    Db db;
    auto dir = temp_dir();
    // kill_worker is retry-safe with 10 attempts: only the death rule stops it.
    auto id = db.enqueue("kill_worker", json::object());

    // Killed by its job, maybe before it says it serves (CI saw that).
    auto first = serve_to_be_killed(SWITCHYARD_FAULTY_BIN, db.url, dir + "/first.log");
    REQUIRE(first->wait(60s) == -1);  // killed by its job
    CHECK(db.count("SELECT attempt FROM jobs WHERE id = " + std::to_string(id)) == 1);

    // The next worker rescues it once the first one's lease ran out, runs it
    // again, and dies too.
    auto second = serve_to_be_killed(SWITCHYARD_FAULTY_BIN, db.url, dir + "/second.log");
    REQUIRE(second->wait(60s) == -1);
    CHECK(db.count("SELECT attempt FROM jobs WHERE id = " + std::to_string(id)) == 2);
    CHECK(db.count("SELECT worker_deaths FROM jobs WHERE id = " + std::to_string(id)) == 1);

    // The third rescues it and does not run it again.
    auto third = serve_with(SWITCHYARD_FAULTY_BIN, db.url, dir + "/third.log");
    REQUIRE(wait_for([&] { return db.status(id) != "RUNNING"; }, 60s));
    auto j = db.job(id);
    CHECK(j["status"] == "EXCEPTION");
    CHECK(j["attempt"] == 2);
    CHECK(j["exception"]["type"] == "WorkerLost");
    CHECK(j["exception"]["message"].get<std::string>().find("workers died 2 times while running this job") !=
          std::string::npos);
    REQUIRE(j["errors"].size() == 2);
    CHECK(third->running());

    CHECK(terminate(*third).code == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("SIGTERM ends serve within the shutdown windows when a task ignores aborts", "[processes][shutdown]") {
    Db db;
    auto dir = temp_dir();
    auto p = serve(db.url, dir + "/serve.log",
                   {"--set", "jobs.shutdown_grace_seconds=2", "--set", "jobs.shutdown_abort_seconds=1"});
    auto stuck = db.enqueue("sleep", {{"seconds", 3600}, {"ignore_abort", true}, {"lock", "stuck"}});
    REQUIRE(wait_for([&] { return db.status(stuck) == "RUNNING"; }));

    auto [code, took] = terminate(*p);
    INFO(p->log());
    CHECK(code == 0);
    // 2 s grace + 1 s abort window + at most 1 s of last writes; the rest is
    // margin for a loaded machine (the bound without the fix is an hour).
    CHECK(took < 15s);
    CHECK(p->log().find("leaving 1 job(s) unfinished after the 2 s shutdown grace and the 1 s abort window: " +
                        std::to_string(stuck) + " (sleep)") != std::string::npos);

    // Left to the rescuer with that reason (its own, as it led maintenance),
    // and its lock freed.
    REQUIRE(wait_for([&] { return db.status(stuck) == "EXCEPTION"; }, 30s));
    auto message = db.job(stuck)["exception"]["message"].get<std::string>();
    CHECK(message.find("stopped while running attempt 1: the service shut down leaving 1 job(s) unfinished") !=
          std::string::npos);
    CHECK(db.count("SELECT count(*) FROM job_locks") == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("SIGTERM ends serve in bounded time when its outcome writes are stuck in the database",
          "[processes][shutdown]") {
    Db db;
    auto dir = temp_dir();
    auto p = serve(db.url, dir + "/serve.log",
                   {"--set", "jobs.shutdown_grace_seconds=1", "--set", "jobs.shutdown_abort_seconds=1"});
    auto id = db.enqueue("sleep_idempotent", {{"seconds", 1}});
    REQUIRE(wait_for([&] { return db.status(id) == "RUNNING"; }));
    // Hold the job's row: the completer's write of its outcome waits on it.
    auto holder = store::connect(db.url, std::chrono::seconds(5));
    pqxx::work hold(*holder);
    hold.exec_params("SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE", id);
    REQUIRE(wait_for(
        [&] {
            return db.count(
                       "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
                       "query LIKE '%UPDATE jobs%'") > 0;
        },
        30s));

    auto [code, took] = terminate(*p);
    INFO(p->log());
    CHECK(code == 0);
    CHECK(took < 15s);  // 1 s grace + 1 s abort + 1 s last writes, and margin
    CHECK(p->log().find("the completer did not finish by the shutdown deadline") != std::string::npos);
    hold.abort();

    // The job, whose outcome was never stored, is retried by the next worker.
    auto next = serve(db.url, dir + "/next.log");
    REQUIRE(wait_for([&] { return db.status(id) == "FINISHED"; }, 30s));
    CHECK(db.job(id)["attempt"] == 2);
    CHECK(terminate(*next).code == 0);
    std::filesystem::remove_all(dir);
}
