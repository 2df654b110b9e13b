// Engine benchmark: works 100,000 noop jobs inserted in batches and prints
// jobs/s; measures insert-to-start latency on an idle queue; and, in the same
// run on the same PostgreSQL, times pgbench executing the engine's own claim
// and complete statements, printing our rate as a ratio of it.
#include "engine/engine.h"
#include "engine/job_store.h"
#include "locks/queries.h"
#include "store/database.h"
#include "store/embedded_postgres.h"
#include "store/migrator.h"
#include "store/queries.h"

#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

using namespace switchyard;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kJobs = 100000;
constexpr int kInsertBatch = 5000;
constexpr int kLatencySamples = 500;
constexpr int kBatch = 200;  // claim batch, for us and for pgbench
constexpr int kWorkers = 2;  // pgbench clients; our engine runs one claimer

Settings bench_settings() {
    Settings s;
    // Worker threads: enough that a claimed batch never waits for a thread.
    const char* env = std::getenv("SY_BENCH_CONCURRENCY");
    s.jobs.queues = {{"default", env ? std::atoi(env) : 2 * kBatch}};
    s.jobs.claim_batch = kBatch;
    s.jobs.complete_batch = 500;  // the engine's default
    s.log_level = LogLevel::warn;
    return s;
}

void insert_jobs(const std::string& url, const tasks::TaskRegistry& registry, const Settings& s) {
    auto conn = store::connect(url, std::chrono::seconds(5));
    for (int done = 0; done < kJobs; done += kInsertBatch) {
        pqxx::work tx(*conn);
        engine::enqueue_many(tx, registry, s, "noop", std::vector<json>(kInsertBatch, json::object()));
        tx.commit();
    }
    pqxx::nontransaction(*conn).exec("VACUUM ANALYZE jobs");
}

void reset(const std::string& url) {
    auto conn = store::connect(url, std::chrono::seconds(5));
    pqxx::nontransaction tx(*conn);
    // CASCADE: the tables that hang off jobs (job_device_texts,
    // job_result_parts, sync_parked_configs...) would otherwise refuse it.
    tx.exec("TRUNCATE jobs, job_locks, workers, leaders CASCADE");
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The pgbench reference runs the engine's own statements (their text as
// generated from service/sql and locks/sql), parameters filled in the way the engine fills them, one
// pgbench client standing for one worker: claim a batch, then, in one
// transaction, finish it and release its locks.
std::string pgbench_script() {
    std::string worker = "(:client_id + 1000000)";
    auto text = [](const auto& statements, const char* name) { return sqlgen::find_statement(statements, name).text; };
    std::string claim = text(store::sql::statements(), "switchyard::store::sql::jobs::claim");
    claim = replace_all(replace_all(replace_all(claim, "$1", "'default'"), "$2", ":batch"), "$3", worker);
    std::string finished =
        "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'attempt', attempt, 'status', "
        "'FINISHED', 'result', '{\"message\":\"nothing to do\"}'::jsonb)), '[]') FROM jobs "
        "WHERE worker_id = " +
        worker + " AND status = 'RUNNING')";
    std::string complete = text(store::sql::statements(), "switchyard::store::sql::jobs::complete");
    complete = replace_all(replace_all(complete, "$1", finished), "$2", worker);
    std::string release =
        replace_all(text(locks::sql::statements(), "switchyard::locks::sql::release_for_jobs"), "$1", "'{}'");
    return claim + ";\nBEGIN;\n" + complete + ";\n" + release + ";\nCOMMIT;\n";
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * (v.size() - 1))];
}

}  // namespace

int run_bench(const std::string& dir) {
    spdlog::set_level(spdlog::level::warn);
    store::EmbeddedPostgresOptions options;
    options.data_dir = dir;
    options.run_as = "postgres";  // durable defaults: fsync and synchronous_commit on
    store::EmbeddedPostgres pg(options);
    pg.start();
    std::string url = pg.url();
    {
        auto conn = store::connect(url, std::chrono::seconds(5));
        store::migrate(*conn);
    }
    tasks::TaskRegistry registry;
    tasks::register_builtin_tasks(registry);
    Settings settings = bench_settings();

    std::printf("switchyard engine benchmark: %d noop jobs, claim batch %d, PostgreSQL in %s\n", kJobs, kBatch,
                pg.cluster_dir().c_str());

    // 1. Throughput: the queue is full when the engine starts.
    insert_jobs(url, registry, settings);
    double ours_seconds = 0;
    {
        engine::Engine engine(settings, registry, url);
        auto t0 = Clock::now();
        engine.start();
        while (engine.stats().finished < static_cast<std::uint64_t>(kJobs))
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ours_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        engine.stop();
    }
    double ours_rate = kJobs / ours_seconds;
    std::printf("switchyard: %d jobs in %.2f s = %.0f jobs/s\n", kJobs, ours_seconds, ours_rate);

    // 2. The reference: pgbench running the same statements on the same data.
    reset(url);
    insert_jobs(url, registry, settings);
    std::string script = dir + "/pgbench_claim_complete.sql";
    std::ofstream(script) << pgbench_script();
    int transactions = kJobs / kBatch / kWorkers;
    auto bin = store::find_postgres_bin_dir("");
    auto t0 = Clock::now();
    auto r = store::run_process({bin + "/pgbench", "-n", "-h", pg.cluster_dir(), "-U", "switchyard", "-c",
                                 std::to_string(kWorkers), "-j", std::to_string(kWorkers), "-t",
                                 std::to_string(transactions), "-D", "batch=" + std::to_string(kBatch), "-f", script,
                                 "switchyard"});
    double ref_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    long left;
    {
        auto conn = store::connect(url, std::chrono::seconds(5));
        left =
            pqxx::read_transaction(*conn).exec("SELECT count(*) FROM jobs WHERE status <> 'FINISHED'")[0][0].as<long>();
    }
    if (r.exit_code != 0 || left != 0) {
        std::printf("pgbench reference failed (exit %d, %ld jobs not finished):\n%s\n", r.exit_code, left,
                    r.output.c_str());
        return 1;
    }
    double ref_rate = kJobs / ref_seconds;
    std::printf("pgbench (same claim+complete SQL, %d clients): %d jobs in %.2f s = %.0f jobs/s\n", kWorkers, kJobs,
                ref_seconds, ref_rate);
    std::printf("ratio switchyard / pgbench: %.2f (target >= 0.70); target >= 10000 jobs/s: %s\n", ours_rate / ref_rate,
                ours_rate >= 10000 ? "met" : "NOT met");

    // 3. Insert-to-start latency on an idle queue (database clock on both ends).
    reset(url);
    std::vector<double> latency_ms;
    {
        engine::Engine engine(settings, registry, url);
        engine.start();
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the listener settle
        auto conn = store::connect(url, std::chrono::seconds(5));
        for (int i = 0; i < kLatencySamples; ++i) {
            engine::EnqueueRequest req;
            req.function_name = "noop";
            std::int64_t id;
            {
                pqxx::work tx(*conn);
                id = engine::enqueue(tx, registry, settings, req).id;
                tx.commit();
            }
            for (;;) {  // wait until it finished, so the queue is idle for the next one
                pqxx::read_transaction tx(*conn);
                auto row = tx.exec_params(
                    "SELECT status, extract(epoch FROM start_time - created_time) * 1000 "
                    "FROM jobs WHERE id = $1",
                    id)[0];
                if (row[0].as<std::string>() == "FINISHED") {
                    latency_ms.push_back(row[1].as<double>());
                    break;
                }
            }
        }
        engine.stop();
    }
    double p50 = percentile(latency_ms, 0.5), p99 = percentile(latency_ms, 0.99);
    std::printf("insert-to-start latency, idle queue, %d jobs: p50 %.2f ms, p99 %.2f ms (target p50 < 5 ms: %s)\n",
                kLatencySamples, p50, p99, p50 < 5 ? "met" : "NOT met");

    pg.stop();
    return 0;
}

// An exception caught here unwinds run_bench(), so its PostgreSQL is stopped
// (one left to std::terminate left the cluster running), and the scratch
// directory goes whichever way the bench ends.
int main() {
    char pattern[] = "/tmp/sy-bench-XXXXXX";
    if (!mkdtemp(pattern)) return 1;
    chmod(pattern, 0711);
    const std::string dir = pattern;
    int rc = 1;
    try {
        rc = run_bench(dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_engine: %s\n", e.what());
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return rc;
}
