// Dead workers in one process: a worker row whose heartbeat stopped, with a
// job it was running and a lock that job held. (Killing real processes is in
// process_test.cpp.)
#include "engine_fixture.h"
#include "tasks/sync_environment.h"

#include <atomic>
#include <memory>
#include <thread>

using namespace switchyard;
using namespace switchyard::testing;

namespace {

// A worker that died a minute ago while running `job` holding `lock`.
void plant_dead_worker(EngineFixture& f, std::int64_t job, const std::string& lock) {
    f.exec(
        "INSERT INTO workers (id, hostname, pid, lease_seconds, heartbeat_at) "
        "VALUES (9000, 'lost-host', 4242, 1, now() - interval '1 minute')");
    f.exec("UPDATE jobs SET status = 'RUNNING', attempt = 1, worker_id = 9000, start_time = now() WHERE id = " +
           std::to_string(job));
    f.exec("INSERT INTO job_locks (name, job_id) VALUES ('" + lock + "', " + std::to_string(job) + ")");
}

}  // namespace

TEST_CASE_METHOD(EngineFixture, "a dead worker's unsafe job ends EXCEPTION with the reason, its lock freed",
                 "[rescuer]") {
    auto id = enqueue("sleep", {{"seconds", 60}});
    plant_dead_worker(*this, id, "devices");
    start();
    REQUIRE(wait_status(id, "EXCEPTION", std::chrono::seconds(10)));
    auto e = job(id)["exception"];
    CHECK(e["type"] == "WorkerLost");
    auto msg = e["message"].get<std::string>();
    CHECK(msg.find("lost-host pid 4242") != std::string::npos);
    CHECK(msg.find("not safe to run again") != std::string::npos);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
    CHECK(count("SELECT count(*) FROM workers WHERE id = 9000 AND dead_at IS NOT NULL") == 1);
}

TEST_CASE_METHOD(EngineFixture, "a dead worker's retry-safe job is run again", "[rescuer]") {
    engine::EnqueueRequest r;
    r.max_attempts = 3;
    auto id = enqueue("sleep_idempotent", {{"seconds", 0}}, r);
    plant_dead_worker(*this, id, "devices");
    start();
    auto j = job_when(id, "FINISHED", std::chrono::seconds(10));
    CHECK(j["attempt"] == 2);
    REQUIRE(j["errors"].size() == 1);
    CHECK(j["errors"][0]["type"] == "WorkerLost");
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}

TEST_CASE_METHOD(EngineFixture, "jobs of a live worker are never rescued", "[rescuer]") {
    // A lease of 2 s (20 heartbeats: margin for a loaded machine), and a job
    // that runs for more than two of them; the heartbeat keeps it.
    settings.jobs.worker_lease_seconds = Seconds(2);
    start();
    auto id = enqueue("sleep", {{"seconds", 5}, {"lock", "devices"}});
    REQUIRE(wait_status(id, "RUNNING"));
    REQUIRE(wait_status(id, "FINISHED", std::chrono::seconds(30)));
    CHECK(job(id)["errors"].empty());
    CHECK(count("SELECT count(*) FROM workers WHERE dead_at IS NOT NULL") == 0);
}

TEST_CASE_METHOD(EngineFixture, "a worker keeps its lease while its job's progress cannot be written",
                 "[rescuer][heartbeat]") {
    // The heartbeat once shared a thread with the progress flush: a flush
    // that waited (here on the job's row; in bench/recovery on the job's
    // lock, with 1,000 device threads) held the heartbeat back, and the
    // rescuer took a healthy worker's job.
    settings.jobs.worker_lease_seconds = Seconds(2);
    // Shared with the task's thread, which may outlive this body when a
    // REQUIRE below fails (the engine stops it only by its abort).
    struct Probe {
        std::atomic<int> reported{0};
        std::atomic<bool> finish{false};
    };
    auto probe = std::make_shared<Probe>();
    auto& reported = probe->reported;
    auto& finish = probe->finish;
    registry.add({.function_name = "progress_probe", .run = [probe](tasks::JobContext& ctx) {
                      while (!probe->finish) {
                          ctx.check_abort();
                          ctx.report_progress({{"reported", ++probe->reported}});
                          std::this_thread::sleep_for(std::chrono::milliseconds(20));
                      }
                  }});
    start();
    auto id = enqueue("progress_probe");
    REQUIRE(wait_for([&] { return reported >= 3; }));
    auto held = store::connect(url, std::chrono::seconds(5));
    pqxx::work row(*held);
    row.exec_params("SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE", id);
    // The flush is waiting on the row ...
    REQUIRE(wait_for([&] {
        return count(
                   "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND query LIKE '%UPDATE jobs j%finished_devices%'") == 1;
    }));
    // ... for two whole leases, and the heartbeat goes on all along.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    long oldest_ms = 0;
    while (std::chrono::steady_clock::now() < until) {
        oldest_ms = std::max(
            oldest_ms, count("SELECT coalesce((extract(epoch FROM now() - max(heartbeat_at)) * 1000)::bigint, 999999) "
                             "FROM workers WHERE dead_at IS NULL"));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(oldest_ms < 1000);
    row.abort();
    finish = true;
    REQUIRE(wait_status(id, "FINISHED", std::chrono::seconds(30)));
    CHECK(job(id)["errors"].empty());
    CHECK(count("SELECT count(*) FROM workers WHERE dead_at IS NOT NULL") == 0);
}

TEST_CASE_METHOD(EngineFixture, "only one of two engines leads the maintenance services", "[leader]") {
    start();
    engine::Engine second(settings, registry, url);
    second.start();
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM leaders") == 1; }));
    auto leader = count("SELECT worker_id FROM leaders");
    CHECK((leader == engine->worker_id() || leader == second.worker_id()));
    // The leader leaves; the other takes over.
    if (leader == engine->worker_id()) engine->stop();
    else second.stop();
    REQUIRE(wait_for(
        [&] { return count("SELECT count(*) FROM leaders WHERE worker_id <> " + std::to_string(leader)) == 1; },
        std::chrono::seconds(5)));
    second.stop();
}

TEST_CASE_METHOD(EngineFixture, "the cleaner deletes ended jobs past their retention only", "[cleaner]") {
    settings.jobs.retention_finished_hours = Hours(1);
    auto old_job = enqueue("noop");
    auto new_job = enqueue("noop");
    auto waiting = enqueue("noop");
    exec("UPDATE jobs SET status = 'FINISHED', finish_time = now() - interval '2 hours' WHERE id = " +
         std::to_string(old_job));
    exec("UPDATE jobs SET status = 'FINISHED', finish_time = now() WHERE id = " + std::to_string(new_job));
    exec("UPDATE jobs SET scheduled_time = now() + interval '1 day' WHERE id = " + std::to_string(waiting));
    // A config text no history record points at any more goes too, by the
    // maintenance hook the sync tasks register (the engine knows no devices).
    tasks::register_sync_tasks(registry, [] { return std::shared_ptr<tasks::SyncEnvironment>(); });
    exec("INSERT INTO device_config_texts (sha256, config) VALUES ('orphan', 'hostname gone')");
    start();
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM jobs WHERE id = " + std::to_string(old_job)) == 0; }));
    CHECK(count("SELECT count(*) FROM jobs") == 2);
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM device_config_texts") == 0; }));
}

TEST_CASE_METHOD(EngineFixture, "a job claimed for this worker but never received is handed to the rescuer",
                 "[rescuer]") {
    start();
    // What a claim whose reply was lost looks like: RUNNING under this live
    // worker, with no thread running it.
    // Scheduled for later, so the engine cannot claim it before the test
    // turns it into an orphan.
    auto id = enqueue("sleep_idempotent", {{"seconds", 0}}, [] {
        engine::EnqueueRequest r;
        r.max_attempts = 2;
        r.delay_seconds = 86400;
        return r;
    }());
    exec("UPDATE jobs SET status = 'RUNNING', attempt = 1, start_time = now() - interval '1 minute', worker_id = " +
         std::to_string(engine->worker_id()) + " WHERE id = " + std::to_string(id));
    auto j = job_when(id, "FINISHED", std::chrono::seconds(15));
    CHECK(j["attempt"] == 2);
    CHECK(j["errors"][0]["message"].get<std::string>().find("never reached a worker") != std::string::npos);
}
