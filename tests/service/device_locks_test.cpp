// Per-device locks (issue 10): all or nothing in one step, the global
// `devices` lock and device locks exclude each other, disjoint holders run
// side by side, and a follow-up job inherits its parent's locks.
#include "engine_fixture.h"
#include "locks/lock_store.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

std::vector<std::string> names_of(const std::vector<locks::LockBlocker>& blockers) {
    std::vector<std::string> out;
    for (auto& b : blockers) out.push_back(b.name);
    return out;
}

}  // namespace

TEST_CASE_METHOD(EngineFixture, "device locks: all or nothing, and `devices` excludes each device lock", "[locks]") {
    auto ids = running_jobs(4);
    auto [a, b, c, d] = std::tuple(ids[0], ids[1], ids[2], ids[3]);
    pqxx::work tx(*conn);
    CHECK(locks::try_acquire_all(tx, {"device:r2", "device:r1"}, a, 1).empty());
    // One of two is held: neither is taken.
    auto blocked = locks::try_acquire_all(tx, {"device:r3", "device:r2"}, b, 1);
    CHECK(names_of(blocked) == std::vector<std::string>{"device:r2"});
    CHECK(blocked[0].job_id == a);
    CHECK(blocked[0].function_name == "noop");
    CHECK(tx.exec_params("SELECT count(*) FROM job_locks WHERE job_id = $1", b)[0][0].as<int>() == 0);
    // Disjoint devices: taken side by side.
    CHECK(locks::try_acquire_all(tx, {"device:r3"}, b, 1).empty());
    // The global lock waits for every device lock ...
    CHECK(names_of(locks::try_acquire_all(tx, {"devices"}, c, 1)) ==
          std::vector<std::string>{"device:r1", "device:r2", "device:r3"});
    tx.exec_params("UPDATE jobs SET status = 'FINISHED' WHERE id IN ($1, $2)", a, b);
    CHECK(locks::try_acquire_all(tx, {"devices"}, c, 1).empty());
    // ... and every device lock waits for it.
    CHECK(names_of(locks::try_acquire_all(tx, {"device:r9"}, d, 1)) == std::vector<std::string>{"devices"});
    CHECK(locks::try_acquire_all(tx, {"devices"}, c, 1).empty());  // the holder again
}

TEST_CASE_METHOD(EngineFixture, "jobs locking disjoint devices run at the same time; `devices` waits for both",
                 "[locks]") {
    start();
    auto a = enqueue("sleep", {{"seconds", 1.5}, {"lock", "device:a"}});
    auto b = enqueue("sleep", {{"seconds", 1.5}, {"lock", "device:b"}});
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 2; }));
    auto all = enqueue("sleep", {{"seconds", 0}, {"lock", "devices"}, {"lock_wait", 20}});
    REQUIRE(wait_status(a, "FINISHED"));
    REQUIRE(wait_status(b, "FINISHED"));
    REQUIRE(wait_status(all, "FINISHED"));
    pqxx::read_transaction tx(*conn);
    auto overlap = tx.exec_params(
        "SELECT a.start_time < b.finish_time AND b.start_time < a.finish_time, "
        "       g.finish_time >= a.finish_time AND g.finish_time >= b.finish_time "
        "FROM jobs a, jobs b, jobs g WHERE a.id = $1 AND b.id = $2 AND g.id = $3",
        a, b, all)[0];
    CHECK(overlap[0].as<bool>());  // both RUNNING at once
    CHECK(overlap[1].as<bool>());  // the global lock only once both were done
}

TEST_CASE_METHOD(EngineFixture, "a follow-up job inherits its parent's locks: nothing slips in between", "[locks]") {
    start();
    json follow = {{"function_name", "sleep"}, {"args", {{"seconds", 1}, {"lock", "device:h"}}}};
    auto parent = enqueue("sleep", {{"seconds", 1}, {"lock", "device:h"}, {"then", follow}});
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 1; }));
    auto waiter = enqueue("sleep", {{"seconds", 0}, {"lock", "device:h"}, {"lock_wait", 30}});
    REQUIRE(wait_status(parent, "FINISHED"));
    auto next = job(parent)["next_job_id"];
    REQUIRE(next.is_number_integer());
    REQUIRE(wait_status(waiter, "FINISHED"));
    REQUIRE(wait_status(next.get<std::int64_t>(), "FINISHED"));
    pqxx::read_transaction tx(*conn);
    // The waiter got the device only after the follow-up had ended.
    CHECK(tx.exec_params("SELECT w.finish_time >= n.finish_time FROM jobs w, jobs n WHERE w.id = $1 AND n.id = $2",
                         waiter, next.get<std::int64_t>())[0][0]
              .as<bool>());
    CHECK(tx.exec("SELECT count(*) FROM job_locks")[0][0].as<int>() == 0);
}
