// Named locks held by jobs: contention, bounded waits, release on every end,
// clearing by hand.
#include "engine_fixture.h"
#include "locks/lock_store.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

// A job that sleeps `seconds` holding lock 'devices', once it holds it.
std::int64_t devices_holder(EngineFixture& f, double seconds) {
    auto id = f.enqueue("sleep", {{"seconds", seconds}, {"lock", "devices"}});
    REQUIRE(wait_for([&] { return f.count("SELECT count(*) FROM job_locks WHERE name = 'devices'") == 1; }));
    return id;
}

}  // namespace

TEST_CASE_METHOD(EngineFixture, "a second job does not get a held lock and fails naming the holder", "[locks]") {
    start();
    auto a = devices_holder(*this, 2);
    auto b = enqueue("sleep", {{"seconds", 0}, {"lock", "devices"}, {"lock_wait", 0.3}});
    REQUIRE(wait_status(b, "EXCEPTION"));
    auto msg = job(b)["exception"]["message"].get<std::string>();
    CHECK(msg.find("lock 'devices' is held by job " + std::to_string(a) + " (sleep)") != std::string::npos);
    CHECK(job(b)["exception"]["type"] == "switchyard::tasks::LockBusy");
    REQUIRE(wait_status(a, "FINISHED"));
}

TEST_CASE_METHOD(EngineFixture, "a job waiting long enough gets the lock once its holder ends", "[locks]") {
    start();
    auto a = devices_holder(*this, 1);
    auto b = enqueue("sleep", {{"seconds", 0}, {"lock", "devices"}, {"lock_wait", 10}});
    REQUIRE(wait_status(b, "FINISHED"));
    pqxx::read_transaction tx(*conn);
    // b got the lock only after a had finished.
    CHECK(tx.exec_params("SELECT b.finish_time >= a.finish_time FROM jobs a, jobs b WHERE a.id = $1 AND b.id = $2", a,
                         b)[0][0]
              .as<bool>());
}

TEST_CASE_METHOD(EngineFixture, "locks are released on every kind of end", "[locks]") {
    start();
    engine::EnqueueRequest retry;
    retry.max_attempts = 2;
    auto finished = enqueue("sleep", {{"seconds", 0.1}, {"lock", "l-finished"}});
    auto failed = enqueue("sleep", {{"seconds", 0.1}, {"lock", "l-failed"}, {"fail", true}});
    auto retried = enqueue("sleep", {{"seconds", 0.1}, {"lock", "l-retried"}, {"fail", 1}}, retry);
    auto aborted = enqueue("sleep", {{"seconds", 30}, {"lock", "l-aborted"}});
    REQUIRE(wait_status(aborted, "RUNNING"));
    abort_job(aborted, "test", "tester");
    REQUIRE(wait_status(finished, "FINISHED"));
    REQUIRE(wait_status(failed, "EXCEPTION"));
    REQUIRE(wait_status(retried, "FINISHED"));
    REQUIRE(wait_status(aborted, "ABORTED"));
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}

TEST_CASE_METHOD(EngineFixture, "lock store: atomic acquire, re-entry, stale takeover, list and clear", "[locks]") {
    auto ids = running_jobs(2);
    auto [a, b] = std::tuple(ids[0], ids[1]);
    pqxx::work tx(*conn);
    CHECK(locks::try_acquire(tx, "devices", a, 1));
    CHECK(locks::try_acquire(tx, "devices", a, 1));  // the holder again
    CHECK_FALSE(locks::try_acquire(tx, "devices", b, 1));
    CHECK(locks::try_acquire_all(tx, {"devices"}, b, 1).at(0).job_id == a);
    auto all = locks::list(tx);
    REQUIRE(all.size() == 1);
    CHECK(all[0].name == "devices");
    CHECK(all[0].job_id == a);
    CHECK_FALSE(all[0].abort);
    // The holder ends without releasing (it cannot here): the lock is stale
    // and the next job takes it over.
    tx.exec_params("UPDATE jobs SET status = 'FINISHED' WHERE id = $1", a);
    CHECK(locks::try_acquire(tx, "devices", b, 1));
    CHECK(locks::clear(tx, "devices") == b);
    CHECK_FALSE(locks::clear(tx, "devices").has_value());
    CHECK_THROWS_WITH(locks::try_acquire(tx, "", a, 1), Catch::Contains("must not be empty"));
    CHECK_THROWS_WITH(locks::try_acquire(tx, std::string(201, 'x'), a, 1), Catch::Contains("200"));
    CHECK_THROWS_WITH(locks::try_acquire(tx, "bad\nname", a, 1), Catch::Contains("control"));
}

TEST_CASE_METHOD(EngineFixture, "clearing a lock by hand frees it for the next job", "[locks]") {
    start();
    auto a = devices_holder(*this, 30);
    {
        pqxx::work tx(*conn);
        CHECK(locks::clear(tx, "devices") == a);
        tx.commit();
    }
    auto b = enqueue("sleep", {{"seconds", 0}, {"lock", "devices"}});
    REQUIRE(wait_status(b, "FINISHED"));
    abort_job(a, "cleanup", "test");
    REQUIRE(wait_status(a, "ABORTED"));
}
