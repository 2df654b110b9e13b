// The engine's side of recovery (service/engine/recovery.cpp), with a test
// hook and the builtin sleep task, no devices: a job that ends abnormally,
// any of the four ways, gets the recovery its hook asks for in the
// transaction that ends it, named in its result and handed its locks; a job
// that ends normally gets none; a recovery that cannot be inserted is said in
// the ended job's result, masked, not only logged.
#include "engine_fixture.h"

#include <atomic>
#include <stdexcept>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

// Answers for jobs holding a lock named "recover-*" (read from their args):
// a sleep that holds what it was handed until it is aborted.
struct RecoveryHookFixture : EngineFixture {
    std::atomic<int> asked{0};
    std::atomic<bool> failing_statement{false};

    void add_hook(std::function<std::optional<tasks::RecoveryJob>()> answer) {
        registry.add_recovery(
            {.name = "test_recovery",
             .recovery = [this, answer](pqxx::transaction_base& tx,
                                        const tasks::EndedAbnormally& e) -> std::optional<tasks::RecoveryJob> {
                 ++asked;
                 if (failing_statement) tx.exec_params("SELECT no_such_column FROM jobs WHERE id = $1", e.id);
                 auto lock =
                     tx.exec_params1("SELECT coalesce(start_arguments->>'lock', '') FROM jobs WHERE id = $1", e.id)[0]
                         .as<std::string>();
                 if (lock.rfind("recover-", 0) != 0) return std::nullopt;
                 return answer();
             }});
    }

    std::string lock_holder(const std::string& name) {
        pqxx::read_transaction tx(*conn);
        auto r = tx.exec_params("SELECT job_id FROM job_locks WHERE name = $1", name);
        return r.empty() ? "" : r[0][0].as<std::string>();
    }
};

tasks::RecoveryJob holding_sleep() { return {.function_name = "sleep", .args = {{"seconds", 600}}}; }

}  // namespace

TEST_CASE_METHOD(RecoveryHookFixture, "a job that ends abnormally gets its recovery in the transaction that ends it",
                 "[recovery_hooks]") {
    add_hook(holding_sleep);
    start();
    std::int64_t id = 0;
    std::string ended;
    SECTION("an exception") {
        engine::EnqueueRequest r;
        r.max_attempts = 1;
        id = enqueue("sleep", {{"lock", "recover-a"}, {"fail", true}}, r);
        ended = "EXCEPTION";
    }
    SECTION("a timeout") {
        engine::EnqueueRequest r;
        r.timeout_seconds = 1;
        id = enqueue("sleep", {{"lock", "recover-a"}, {"seconds", 60}}, r);
        ended = "EXCEPTION";
    }
    SECTION("an abort") {
        id = enqueue("sleep", {{"lock", "recover-a"}, {"seconds", 60}});
        REQUIRE(wait_for([&] { return lock_holder("recover-a") == std::to_string(id); }));
        pqxx::work tx(*conn);
        engine::abort_job(tx, id, "operator request", "bob");
        tx.commit();
        ended = "ABORTED";
    }
    auto j = job_when(id, ended);
    REQUIRE(j["next_job_id"].is_number_integer());
    auto recovery_id = j["next_job_id"].get<std::int64_t>();
    CHECK(j["result"]["recovery_job_id"] == recovery_id);
    auto rec = job(recovery_id);
    CHECK(rec["function_name"] == "sleep");
    CHECK(rec["comment"] == "recovers what job " + std::to_string(id) + " left half done");
    // One transaction: the job's end is the recovery's creation.
    CHECK(rec["created_time"] == j["finish_time"]);
    // Handed over, never released in between: the recovery holds the lock.
    CHECK(lock_holder("recover-a") == std::to_string(recovery_id));

    // The recovery, aborted in its turn, is not recovered (it holds no
    // "recover-*" lock of its own: the hook answers nothing for it).
    REQUIRE(wait_status(recovery_id, "RUNNING"));
    {
        pqxx::work tx(*conn);
        engine::abort_job(tx, recovery_id, "test over", "test");
        tx.commit();
    }
    REQUIRE(wait_status(recovery_id, "ABORTED"));
    CHECK(job(recovery_id)["next_job_id"].is_null());
    CHECK(lock_holder("recover-a").empty());
}

TEST_CASE_METHOD(RecoveryHookFixture, "a job that ends normally gets no recovery", "[recovery_hooks]") {
    add_hook(holding_sleep);
    start();
    auto id = enqueue("sleep", {{"lock", "recover-b"}});
    auto j = job_when(id, "FINISHED");
    CHECK(j["next_job_id"].is_null());
    CHECK(!j["result"].contains("recovery_job_id"));
    CHECK(asked == 0);
    CHECK(lock_holder("recover-b").empty());
}

TEST_CASE_METHOD(RecoveryHookFixture, "a recovery that cannot be inserted is said in the ended job's result",
                 "[recovery_hooks]") {
    std::string said;
    SECTION("a kind no engine knows") {
        add_hook([] { return tasks::RecoveryJob{.function_name = "no_such_kind", .args = json::object()}; });
        said = "no_such_kind";
    }
    SECTION("a hook that throws, its message holding a secret") {
        add_hook([]() -> std::optional<tasks::RecoveryJob> {
            throw std::runtime_error("inventory unreadable: password hunter2");
        });
        said = "inventory unreadable: password ****";
    }
    SECTION("a hook whose statement fails (a statement failing in a savepoint fails that part alone)") {
        failing_statement = true;
        add_hook(holding_sleep);
        said = "no_such_column";
    }
    start();
    engine::EnqueueRequest r;
    r.max_attempts = 1;
    auto id = enqueue("sleep", {{"lock", "recover-c"}, {"fail", true}}, r);
    auto j = job_when(id, "EXCEPTION");
    CHECK(j["next_job_id"].is_null());
    REQUIRE(j["result"]["recovery_error"].is_string());
    auto error = j["result"]["recovery_error"].get<std::string>();
    INFO(error);
    CHECK(error.find("no recovery job could be scheduled (test_recovery: ") == 0);
    CHECK(error.find(said) != std::string::npos);
    CHECK(error.find("hunter2") == std::string::npos);
    CHECK(error.find("check its devices with a dry run") != std::string::npos);
    // The job still ended, and its locks are free.
    CHECK(!j["finish_time"].is_null());
    CHECK(lock_holder("recover-c").empty());
}
