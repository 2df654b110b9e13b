// Real `switchyard serve` processes against a real PostgreSQL: two processes
// sharing one database, kill -9 of a process mid-job, a PostgreSQL restart
// under load, and the embedded store.
#include "engine/schedule_store.h"
#include "serve_process.h"
#include "store/embedded_postgres.h"

#include <sys/stat.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <map>
#include <regex>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("two serve processes on one database work 10,000 jobs, each exactly once", "[processes]") {
    Db db;
    auto dir = temp_dir();
    auto a = serve(db.url, dir + "/a.log", {"--log-level", "debug"});
    auto b = serve(db.url, dir + "/b.log", {"--log-level", "debug"});

    tasks::TaskRegistry registry;
    tasks::register_builtin_tasks(registry);
    constexpr int kJobs = 10000;
    for (int batch = 0; batch < kJobs / 1000; ++batch) {
        pqxx::work tx(*db.conn);
        engine::enqueue_many(tx, registry, Settings{}, "noop", std::vector<json>(1000, json::object()));
        tx.commit();
    }
    REQUIRE(wait_for([&] { return db.count("SELECT count(*) FROM jobs WHERE status = 'FINISHED'") == kJobs; }, 180s));
    CHECK(db.count("SELECT count(*) FROM jobs WHERE attempt <> 1") == 0);

    a->signal(SIGTERM);
    b->signal(SIGTERM);
    CHECK(a->wait(30s) == 0);
    CHECK(b->wait(30s) == 0);

    // Count executions from what each process says it ran.
    static const std::regex ran(R"(job (\d+) \(noop\) attempt (\d+) ran: FINISHED)");
    std::map<long, int> runs;
    std::map<std::string, int> per_process;
    for (auto* p : {a.get(), b.get()}) {
        auto log = p->log();
        for (std::sregex_iterator it(log.begin(), log.end(), ran), end; it != end; ++it) {
            ++runs[std::stol((*it)[1])];
            ++per_process[p->log_path()];
        }
    }
    CHECK(runs.size() == kJobs);
    long twice = std::count_if(runs.begin(), runs.end(), [](auto& r) { return r.second != 1; });
    CHECK(twice == 0);
    // Both processes took part.
    CHECK(per_process.size() == 2);
    for (auto& [log, n] : per_process) CHECK(n > 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("kill -9 of a process running a job: rescued and its lock freed within 10 s", "[processes][rescue]") {
    Db db;
    auto dir = temp_dir();
    auto victim = serve(db.url, dir + "/victim.log");
    auto unsafe = db.enqueue("sleep", {{"seconds", 120}, {"lock", "devices"}});
    auto safe = db.enqueue("sleep_idempotent", {{"seconds", 120}, {"lock", "other"}});
    REQUIRE(wait_for([&] { return db.status(unsafe) == "RUNNING" && db.status(safe) == "RUNNING"; }));
    REQUIRE(wait_for([&] { return db.count("SELECT count(*) FROM job_locks") == 2; }));

    // A second process is running when the first dies.
    auto survivor = serve(db.url, dir + "/survivor.log");
    victim->signal(SIGKILL);
    REQUIRE(victim->wait(5s) == -1);

    // A generous deadline for the test; the engine's own timing is read from
    // the database below, where the test machine's load does not blur it.
    REQUIRE(wait_for(
        [&] {
            return db.status(unsafe) == "EXCEPTION" &&
                   db.count("SELECT count(*) FROM job_locks WHERE name = 'devices'") == 0;
        },
        60s));
    // Declared dead within seconds after its 5 s lease ran out (margin for a
    // loaded machine's maintenance rounds). (Not sooner than the lease holds
    // here anyway: the victim led maintenance, and the survivor takes over
    // only when that lease of the same length runs out.)
    const std::string victim_row = "FROM workers WHERE pid = " + std::to_string(victim->pid());
    CHECK(db.count("SELECT count(*) " + victim_row +
                   " AND dead_at < heartbeat_at + make_interval(secs => lease_seconds + 10)") == 1);
    // The retry-safe one is running again in the survivor.
    REQUIRE(
        wait_for([&] { return db.count("SELECT attempt FROM jobs WHERE id = " + std::to_string(safe)) == 2; }, 15s));
    CHECK(db.status(safe) == "RUNNING");
    {
        pqxx::read_transaction tx(*db.conn);
        auto e = json::parse(
            tx.exec_params("SELECT exception::text FROM jobs WHERE id = $1", unsafe)[0][0].as<std::string>());
        CHECK(e["type"] == "WorkerLost");
        CHECK(e["message"].get<std::string>().find("not safe to run again") != std::string::npos);
    }

    // A process (re)starting meanwhile never touches the survivor's job:
    // watched until the new process has lived two leases and a maintenance
    // round (its checks for dead workers and for orphaned jobs have run).
    auto restarted = serve(db.url, dir + "/restarted.log");
    const std::string lived_a_lease = "SELECT count(*) FROM workers WHERE pid = " + std::to_string(restarted->pid()) +
                                      " AND heartbeat_at > started_at + make_interval(secs => 2 * lease_seconds + 1)";
    bool touched = false;
    REQUIRE(wait_for(
        [&] {
            touched = touched || db.status(safe) != "RUNNING" ||
                      db.count("SELECT jsonb_array_length(errors) FROM jobs WHERE id = " + std::to_string(safe)) != 1;
            return db.count(lived_a_lease) == 1;
        },
        60s));
    CHECK_FALSE(touched);
    CHECK(db.status(safe) == "RUNNING");
    CHECK(db.count("SELECT jsonb_array_length(errors) FROM jobs WHERE id = " + std::to_string(safe)) == 1);

    survivor->signal(SIGTERM);
    restarted->signal(SIGTERM);
    survivor->wait(60s);
    restarted->wait(60s);
    std::filesystem::remove_all(dir);
}

TEST_CASE("three serve processes tick one schedule: each tick exactly one job, through a leader's kill -9",
          "[processes][schedules]") {
    Db db;
    auto dir = temp_dir();
    std::vector<std::unique_ptr<ChildProcess>> serves;
    for (auto name : {"a", "b", "c"}) serves.push_back(serve(db.url, dir + "/" + name + ".log"));
    {
        tasks::TaskRegistry registry;
        tasks::register_builtin_tasks(registry);
        engine::ScheduleDefinition s;
        s.name = "tick";
        s.function_name = "noop";
        s.interval_seconds = 1;
        pqxx::work tx(*db.conn);
        REQUIRE(engine::create_schedule(tx, registry, Settings{}, s, "test"));
        tx.commit();
    }
    const std::string ticks = "SELECT count(*) FROM jobs WHERE scheduled_by = 'schedule:tick'";
    constexpr long kTicks = 30;
    REQUIRE(wait_for([&] { return db.count(ticks) >= kTicks / 2; }, 60s));
    // The leader dies; another takes over when its lease runs out and
    // enqueues the ticks that came due meanwhile (within the misfire grace).
    long leader_pid = db.count("SELECT w.pid FROM leaders l JOIN workers w ON w.id = l.worker_id");
    bool killed = false;
    for (auto& p : serves)
        if (p->pid() == leader_pid) {
            p->signal(SIGKILL);
            p->wait(5s);
            killed = true;
        }
    CHECK(killed);
    long at_kill = db.count("SELECT max(split_part(idempotency_key, ':', 3)::bigint) FROM jobs");
    REQUIRE(wait_for([&] { return db.count(ticks) >= kTicks; }, 90s));
    for (auto& p : serves)
        if (p->pid() != leader_pid) p->signal(SIGTERM);
    for (auto& p : serves)
        if (p->pid() != leader_pid) CHECK(p->wait(30s) == 0);

    // Every second from the first tick to the last is one job: none twice,
    // none left out, also across the handover.
    long jobs = db.count(ticks);
    CHECK(db.count("SELECT count(DISTINCT idempotency_key) FROM jobs WHERE scheduled_by = 'schedule:tick'") == jobs);
    CHECK(db.count(
              "SELECT max(split_part(idempotency_key, ':', 3)::bigint) - "
              "min(split_part(idempotency_key, ':', 3)::bigint) + 1 FROM jobs WHERE scheduled_by = 'schedule:tick'") ==
          jobs);
    CHECK(db.count("SELECT max(split_part(idempotency_key, ':', 3)::bigint) FROM jobs") > at_kill + 5);
    CHECK(db.count("SELECT count(*) FROM jobs WHERE comment LIKE '%missed%'") == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a PostgreSQL restart while jobs run loses no job", "[processes][reconnect]") {
    Db db;
    auto dir = temp_dir();
    auto p = serve(db.url, dir + "/serve.log");
    tasks::TaskRegistry registry;
    tasks::register_builtin_tasks(registry);
    constexpr int kJobs = 300;
    {
        pqxx::work tx(*db.conn);
        engine::enqueue_many(tx, registry, Settings{}, "sleep_idempotent",
                             std::vector<json>(kJobs, json{{"seconds", 0.05}}));
        tx.commit();
    }
    REQUIRE(wait_for([&] { return db.count("SELECT count(*) FROM jobs WHERE status = 'FINISHED'") >= 30; }, 60s));
    test_cluster().restart();
    REQUIRE(wait_for([&] { return db.count("SELECT count(*) FROM jobs WHERE status = 'FINISHED'") == kJobs; }, 120s));
    CHECK(db.count("SELECT count(*) FROM jobs WHERE status <> 'FINISHED'") == 0);
    CHECK(p->running());
    CHECK(p->log().find("reconnecting") != std::string::npos);
    p->signal(SIGTERM);
    int code = p->wait(60s);
    INFO(p->log());
    CHECK(code == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("serve on a data directory runs the embedded store; a second serve there is refused",
          "[processes][embedded]") {
    auto dir = temp_dir();
    auto data = dir + "/data";
    ChildProcess first({SWITCHYARD_BIN, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"}, dir + "/first.log");
    REQUIRE(
        wait_for([&] { return first.log().find("switchyard serving") != std::string::npos || !first.running(); }, 60s));
    INFO(first.log());
    REQUIRE(first.running());
    CHECK(std::filesystem::exists(data + "/pg/PG_VERSION"));

    auto [code, out] = run_command({SWITCHYARD_BIN, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"});
    CHECK(code == 1);
    CHECK(out.find("is in use by another switchyard process (pid " + std::to_string(first.pid()) + ")") !=
          std::string::npos);

    auto [ecode, id] = run_command({SWITCHYARD_BIN, "jobs", "enqueue", "noop", "--data-dir", data});
    REQUIRE(ecode == 0);
    id.erase(id.find_last_not_of("\n") + 1);
    REQUIRE(wait_for([&] {
        auto [c, shown] = run_command({SWITCHYARD_BIN, "jobs", "show", id, "--json", "--data-dir", data});
        return c == 0 && json::parse(shown)["status"] == "FINISHED";
    }));

    first.signal(SIGTERM);
    CHECK(first.wait(60s) == 0);
    // PostgreSQL went with it.
    CHECK_FALSE(std::filesystem::exists(data + "/pg/postmaster.pid"));
    auto [c2, o2] = run_command({SWITCHYARD_BIN, "jobs", "enqueue", "noop", "--data-dir", data});
    CHECK(c2 == 1);
    CHECK(o2.find("no Switchyard store is running") != std::string::npos);
    auto [c3, o3] = run_command({SWITCHYARD_BIN, "jobs", "show", id, "--data-dir", data});
    CHECK(c3 == 1);
    CHECK(o3.find("cannot reach the API") != std::string::npos);
    std::filesystem::remove_all(dir);
}
