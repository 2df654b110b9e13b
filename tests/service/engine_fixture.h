// An engine running in the test process against a fresh database, with
// intervals shortened so leases, retries and flushes happen in test time.
#pragma once

#include "engine/engine.h"
#include "engine/job_store.h"
#include "store/database.h"
#include "support/pg_harness.h"
#include "support/wait_for.h"

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

namespace switchyard::testing {

inline Settings fast_settings() {
    Settings s;
    // Leases as long as the defaults (5 s), renewed every 100 ms: fifty
    // missed heartbeats before a loaded test machine makes a live worker or
    // leader look dead. Tests of dead workers plant their own short leases.
    s.jobs.heartbeat_interval_ms = Milliseconds(100);
    s.jobs.worker_lease_seconds = Seconds(5);
    s.jobs.leader_lease_seconds = Seconds(5);
    s.jobs.maintenance_interval_ms = Milliseconds(100);
    s.jobs.poll_interval_ms = Milliseconds(200);
    s.jobs.retry_backoff_base_ms = Milliseconds(200);
    s.jobs.progress_flush_ms = Milliseconds(300);
    s.jobs.shutdown_grace_seconds = Seconds(2);
    s.jobs.timeout_grace_seconds = Seconds(1);
    s.jobs.queues = {{"default", 4}};
    return s;
}

struct EngineFixture {
    std::string url = fresh_database_url();
    tasks::TaskRegistry registry;
    Settings settings = fast_settings();
    std::unique_ptr<pqxx::connection> conn = store::connect(url, std::chrono::seconds(5));
    std::unique_ptr<engine::Engine> engine;

    EngineFixture() { tasks::register_builtin_tasks(registry); }
    ~EngineFixture() {
        if (engine) engine->stop();
    }

    void start() {
        engine = std::make_unique<engine::Engine>(settings, registry, url);
        engine->start();
    }

    std::int64_t enqueue(const std::string& kind, nlohmann::json args = nlohmann::json::object(),
                         engine::EnqueueRequest r = {}) {
        r.function_name = kind;
        r.args = args.is_null() ? nlohmann::json::object() : std::move(args);
        pqxx::work tx(*conn);
        auto id = engine::enqueue(tx, registry, settings, r).id;
        tx.commit();
        return id;
    }

    nlohmann::json job(std::int64_t id) {
        pqxx::read_transaction tx(*conn);
        auto j = engine::get_job(tx, id);
        REQUIRE(j);
        return *j;
    }

    std::string status(std::int64_t id) { return job(id)["status"].get<std::string>(); }

    bool wait_status(std::int64_t id, const std::string& wanted,
                     std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
        return wait_for([&] { return status(id) == wanted; }, deadline);
    }

    // Job `id` once it is `wanted`; the test stops here when it is not by the deadline.
    nlohmann::json job_when(std::int64_t id, const std::string& wanted,
                            std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
        INFO("job " << id << " to be " << wanted);
        REQUIRE(wait_status(id, wanted, deadline));
        return job(id);
    }

    long count(const std::string& sql) {
        pqxx::read_transaction tx(*conn);
        return tx.exec(sql)[0][0].as<long>();
    }

    void exec(const std::string& sql) {
        pqxx::work tx(*conn);
        tx.exec(sql);
        tx.commit();
    }

    // Aborts job `id` as an operator does, in a transaction of its own.
    engine::AbortOutcome abort_job(std::int64_t id, const std::string& reason, const std::string& by) {
        pqxx::work tx(*conn);
        auto out = engine::abort_job(tx, id, reason, by);
        tx.commit();
        return out;
    }

    // `n` noop jobs marked RUNNING in their first attempt, with no engine to
    // run them: lock-store tests act as those attempts.
    std::vector<std::int64_t> running_jobs(int n) {
        std::vector<std::int64_t> ids;
        for (int i = 0; i < n; ++i) ids.push_back(enqueue("noop"));
        pqxx::work tx(*conn);
        for (auto id : ids) tx.exec_params("UPDATE jobs SET status = 'RUNNING', attempt = 1 WHERE id = $1", id);
        tx.commit();
        return ids;
    }
};

}  // namespace switchyard::testing
