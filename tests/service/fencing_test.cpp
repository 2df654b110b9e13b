// Fencing (issue 10): an attempt proves before each device change that it
// still owns its lease and its locks; a worker whose heartbeat fails for half
// a lease starts no change; a timed-out job keeps its locks while a device
// it may be changing is inside its deadline; locks are keyed by attempt; the
// lease guard stops device work under way at half a lease.
#include "engine_fixture.h"
#include "locks/lock_store.h"

#include <mutex>
#include <thread>

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A job that stands for a device job: takes a lock, then fences before each
// "device change" until the fence refuses (or it is told to stop).
struct FenceProbe {
    std::atomic<int> proven{0};
    std::atomic<long> longest_proof_ms{0};  // of the fences that passed
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::string refusal;

    std::string refused() {
        std::lock_guard lock(mutex);
        return refusal;
    }

    void add_to(tasks::TaskRegistry& registry) {
        registry.add({.function_name = "fence_probe", .run = [this](tasks::JobContext& ctx) {
                          ctx.acquire_lock("probe", 0ms);
                          while (!stop) {
                              auto began = std::chrono::steady_clock::now();
                              try {
                                  ctx.fence();
                              } catch (const tasks::LeaseLost& e) {
                                  std::lock_guard lock(mutex);
                                  refusal = e.what();
                                  throw;
                              }
                              long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - began)
                                            .count();
                              if (ms > longest_proof_ms) longest_proof_ms = ms;
                              ++proven;
                              std::this_thread::sleep_for(20ms);
                          }
                      }});
    }
};

// An engine running one fence_probe job that has proven itself three times.
struct ProbeFixture : EngineFixture {
    FenceProbe probe;
    std::int64_t id = 0;

    void start_probe() {
        probe.add_to(registry);
        start();
        id = enqueue("fence_probe");
        REQUIRE(wait_for([&] { return probe.proven >= 3; }));
    }

    // Hold the probe's worker row: its heartbeat (an UPDATE of that row)
    // waits, as it would for a database it cannot reach.
    struct Held {
        std::unique_ptr<pqxx::connection> conn;
        std::unique_ptr<pqxx::work> tx;
    };
    Held hold_heartbeat() {
        long worker = count("SELECT worker_id FROM jobs WHERE id = " + std::to_string(id));
        Held held{store::connect(url, std::chrono::seconds(5)), nullptr};
        held.tx = std::make_unique<pqxx::work>(*held.conn);
        held.tx->exec_params("SELECT 1 FROM workers WHERE id = $1 FOR UPDATE", worker);
        return held;
    }
};

}  // namespace

TEST_CASE_METHOD(ProbeFixture, "an attempt whose lock was cleared makes no further device change", "[fencing]") {
    start_probe();
    CHECK(probe.refused().empty());
    {
        pqxx::work tx(*conn);
        REQUIRE(locks::clear(tx, "probe") == id);
        tx.commit();
    }
    REQUIRE(wait_for([&] { return !probe.refused().empty(); }));
    CHECK_THAT(probe.refused(), Catch::Contains("no longer owns its lease or its locks") &&
                                    Catch::Contains("no device change is started"));
    REQUIRE(wait_for([&] { return status(id) != "RUNNING"; }));
}

TEST_CASE_METHOD(ProbeFixture, "a worker whose heartbeat is blocked for half a lease starts no device change",
                 "[fencing]") {
    start_probe();
    // Reads, the fence's query among them, still answer: only the worker's
    // own clock can tell.
    auto heart = hold_heartbeat();
    auto blocked_at = std::chrono::steady_clock::now();
    REQUIRE(wait_for([&] { return !probe.refused().empty(); }));
    auto after = std::chrono::steady_clock::now() - blocked_at;
    heart.tx->abort();
    CHECK_THAT(probe.refused(), Catch::Contains("no good heartbeat") && Catch::Contains("no device change"));
    // Not before half the lease (2.5 s of 5 s) could have passed without a heartbeat.
    CHECK(after >= 2s);
    REQUIRE(wait_for([&] { return status(id) != "RUNNING"; }));
}

TEST_CASE_METHOD(EngineFixture, "a worker whose heartbeat is blocked for half a lease stops device work under way",
                 "[fencing][lease_guard]") {
    // A job that stands for a push in progress: it "types" a line every
    // 20 ms and, like a device session, looks only at its device stop token
    // (a push does not fence between lines).
    std::atomic<int> typed{0};
    std::atomic<bool> stopped{false};
    registry.add({.function_name = "typing_probe", .run = [&](tasks::JobContext& ctx) {
                      ctx.acquire_lock("typing", 0ms);
                      auto stop = ctx.device_stop();
                      while (!stop.stop_requested()) {
                          ++typed;
                          std::this_thread::sleep_for(20ms);
                      }
                      stopped = true;
                      ctx.check_abort();
                  }});
    start();
    auto id = enqueue("typing_probe");
    REQUIRE(wait_for([&] { return typed >= 3; }));
    // Hold the worker's row: its heartbeat waits, as for a database it cannot reach.
    long worker = count("SELECT worker_id FROM jobs WHERE id = " + std::to_string(id));
    auto held = store::connect(url, std::chrono::seconds(5));
    pqxx::work heart(*held);
    heart.exec_params("SELECT 1 FROM workers WHERE id = $1 FOR UPDATE", worker);
    auto blocked_at = std::chrono::steady_clock::now();
    REQUIRE(wait_for([&] { return stopped.load(); }));
    auto after = std::chrono::steady_clock::now() - blocked_at;
    heart.abort();
    // Not before half the lease (2.5 s of 5 s), and well before the rescuer
    // could declare the worker dead (a whole lease).
    CHECK(after >= 2s);
    REQUIRE(wait_status(id, "ABORTED"));
    CHECK_THAT(job(id)["result"]["message"].get<std::string>(),
               Catch::Contains("no good heartbeat") && Catch::Contains("device work was stopped"));
}

TEST_CASE_METHOD(ProbeFixture, "a proof the database took half a lease to give is not taken", "[fencing]") {
    start_probe();
    // The heartbeat waits (as above), and so does the fence's query (it reads
    // job_locks): a database the worker can barely reach.
    auto heart = hold_heartbeat();
    auto blocked_at = std::chrono::steady_clock::now();
    auto table = store::connect(url, std::chrono::seconds(5));
    pqxx::work hold_table(*table);
    hold_table.exec("LOCK TABLE job_locks IN ACCESS EXCLUSIVE MODE");
    REQUIRE(wait_for([&] {
        return count(
                   "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE "
                   "'%cardinality(%'") > 0;
    }));
    // Past half the lease (2.5 s) without a heartbeat, with a second of margin.
    std::this_thread::sleep_until(blocked_at + 3500ms);
    // The fence's query answers "still yours" while the heartbeat still waits.
    hold_table.abort();
    REQUIRE(wait_for([&] { return !probe.refused().empty(); }));
    heart.tx->abort();
    CHECK_THAT(probe.refused(), Catch::Contains("no good heartbeat") && Catch::Contains("no device change"));
    // The answer that took 3.5 s was not taken as a proof.
    CHECK(probe.longest_proof_ms < 2000);
    REQUIRE(wait_for([&] { return status(id) != "RUNNING"; }));
}

TEST_CASE_METHOD(EngineFixture,
                 "a timed-out job keeps its locks until the device it may be changing is past its deadline",
                 "[fencing]") {
    registry.add({.function_name = "slow_device_change", .run = [](tasks::JobContext& ctx) {
                      ctx.acquire_lock("device:slow", 0ms);
                      // A device change that may take 4 s and does not look at aborts.
                      ctx.keep_locks_until(std::chrono::steady_clock::now() + 4s);
                      std::this_thread::sleep_for(4500ms);
                  }});
    start();
    engine::EnqueueRequest r;
    r.timeout_seconds = 1;  // timed out after 1 s, given up 1 s later (grace) without the device deadline
    auto id = enqueue("slow_device_change", json::object(), r);
    REQUIRE(wait_status(id, "EXCEPTION"));
    CHECK(job(id)["exception"]["type"] == "JobTimeout");
    pqxx::read_transaction tx(*conn);
    double ran = tx.exec_params("SELECT extract(epoch FROM finish_time - start_time) FROM jobs WHERE id = $1", id)[0][0]
                     .as<double>();
    CHECK(ran >= 3.5);
    CHECK(tx.exec("SELECT count(*) FROM job_locks")[0][0].as<int>() == 0);
}

TEST_CASE_METHOD(EngineFixture, "locks are keyed by attempt: a rescued attempt's lock is not its retry's",
                 "[fencing][locks]") {
    auto ids = running_jobs(2);
    auto [a, b] = std::tuple(ids[0], ids[1]);
    pqxx::work tx(*conn);
    CHECK(locks::try_acquire(tx, "device:r1", a, 1));
    CHECK(locks::try_acquire(tx, "device:r1", a, 1));        // the holder again
    CHECK_FALSE(locks::try_acquire(tx, "device:r1", a, 2));  // another attempt of the same job
    CHECK_FALSE(locks::try_acquire(tx, "device:r1", b, 1));
    // Attempt 1 was rescued and attempt 2 runs: attempt 1's lock is stale.
    tx.exec_params("UPDATE jobs SET attempt = 2 WHERE id = $1", a);
    CHECK(locks::try_acquire(tx, "device:r1", a, 2));
    CHECK(tx.exec("SELECT attempt FROM job_locks WHERE name = 'device:r1'")[0][0].as<int>() == 2);
    tx.exec_params("UPDATE jobs SET attempt = 3 WHERE id = $1", a);
    CHECK(locks::release_stale(tx) == std::vector<std::string>{"device:r1 (job " + std::to_string(a) + ")"});
}
