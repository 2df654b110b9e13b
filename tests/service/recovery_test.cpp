// Crash safety end to end (issue 10 items 1 and 2): a real `switchyard serve`
// killed with SIGKILL while it pushes a long change to simulated devices. The
// job's end (the rescuer's, in the test's own engine) and its recovery job
// are one transaction; the recovery brings every device back to its whole
// old config and says so per device.
#include "devices/config_compare.h"
#include "sync_fixture.h"

#include <csignal>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// `n` static routes: a change of that many lines, each typed with the
// device's slow output (long enough to be cut in the middle).
std::string routes(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "ip route 198.18." + std::to_string(i) + ".0/24 Null0\n";
    return out;
}

// Starts a real serve, has it sync sim0001 (frr), sim0002 (eos) and sim0003
// (junos) live, and kills it with SIGKILL while it types the frr router's
// change. Returns the sync job's id; `before` gets each device's config
// before the sync.
std::int64_t kill_serve_mid_push(SyncFixture& f, std::map<std::string, std::string>& before) {
    auto& engine = f.engine;
    const auto& dir = f.dir;
    const auto& url = f.url;
    // The serve process below runs the sync, not this process's engine.
    engine->stop();
    engine.reset();

    // sim0001 (frr) and sim0002 (eos) run 150 routes the templates do not
    // have: the live sync removes them, one slow line at a time.
    for (auto host : {"sim0001", "sim0002"}) {
        std::string config = f.sim_config(host);
        auto end = config.rfind("end");
        REQUIRE(end != std::string::npos);
        config.insert(end, routes(150) + "!\n");
        f.sim_ctl({{"op", "set"}, {"host", host}, {"config", config}});
    }
    for (auto host : {"sim0001", "sim0002", "sim0003"}) {
        before[host] = f.sim_config(host);
        f.sim_ctl(
            {{"op", "faults"}, {"host", host}, {"faults", {{"slow_output", {{"bytes", 16}, {"interval_ms", 20}}}}}});
    }

    std::string log = dir + "/serve.log";
    ChildProcess serve(
        {SWITCHYARD_BIN, "serve", "--database-url", url, "--listen", "127.0.0.1:0", "--data-dir", dir + "/serve-data",
         "--set", "credentials.default.username=admin", "--set", "credentials.default.password=admin"},
        log);
    REQUIRE(
        wait_for([&] { return serve.log().find("switchyard serving") != std::string::npos || !serve.running(); }, 60s));
    INFO(serve.log());
    REQUIRE(serve.running());

    auto id = f.enqueue("sync_devices",
                        {{"hostnames", {"sim0001", "sim0002", "sim0003"}}, {"dry_run", false}, {"confirm_mode", 0}});
    auto sid = std::to_string(id);
    // Mid-push: the frr router's change is journalled and half applied.
    REQUIRE(wait_for(
        [&] {
            return f.count(
                       "SELECT count(*) FROM device_change_journal WHERE hostname = 'sim0001' AND phase = 'pushing' "
                       "AND job_id = " +
                       sid) == 1 &&
                   f.sim_config("sim0001") != before["sim0001"];
        },
        120s));
    serve.signal(SIGKILL);
    serve.wait(30s);
    std::string half = f.sim_config("sim0001");
    CHECK_FALSE(devices::config_matches(devices::Platform::frr, half, before["sim0001"]));
    CHECK(f.count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL AND job_id = " + sid) >= 1);
    CHECK(f.status(id) == "RUNNING");

    return id;
}

}  // namespace

TEST_CASE_METHOD(SyncFixture,
                 "a serve killed mid-push: its end and its recovery job are one transaction, and every "
                 "device gets its whole old config back",
                 "[sync][recovery][processes]") {
    std::map<std::string, std::string> before;
    auto id = kill_serve_mid_push(*this, before);
    auto sid = std::to_string(id);

    // Another worker (this process) finds the dead one within its lease.
    start();
    // No reader ever sees the job ended without its recovery job.
    REQUIRE(wait_for(
        [&] {
            pqxx::read_transaction tx(*conn);
            auto row = tx.exec_params1("SELECT status, next_job_id IS NOT NULL FROM jobs WHERE id = $1", id);
            auto st = row[0].as<std::string>();
            if (st == "RUNNING") return false;
            CHECK(row[1].as<bool>());
            return true;
        },
        60s));
    auto interrupted = job(id);
    INFO(interrupted.dump(2));
    CHECK(interrupted["status"] == "EXCEPTION");
    CHECK(interrupted["exception"]["type"] == "WorkerLost");
    REQUIRE(interrupted["next_job_id"].is_number());
    auto recovery_id = interrupted["next_job_id"].get<std::int64_t>();
    CHECK(interrupted["result"]["recovery_job_id"] == recovery_id);
    // One transaction: now() is its start, for both rows.
    CHECK(count("SELECT count(*) FROM jobs a, jobs b WHERE a.id = " + sid +
                " AND b.id = " + std::to_string(recovery_id) + " AND a.finish_time = b.created_time") == 1);

    auto recovery = ended(recovery_id);
    INFO(recovery.dump(2));
    REQUIRE(recovery["status"] == "FINISHED");
    CHECK(recovery["function_name"] == "recover_devices");
    CHECK(recovery["result"]["interrupted_job_id"] == id);
    CHECK(recovery["result"]["on_interrupted"] == "rollback");
    auto& recovered = recovery["result"]["devices"];
    REQUIRE(recovered.contains("sim0001"));
    for (auto& [host, d] : recovered.items()) {
        INFO(host);
        CHECK(d["failed"] == false);
        CHECK(d["outcome"] == "restored");
    }
    // Every device holds its whole old config: those the sync finished
    // (verified) keep the new one, every other is back to its old one.
    for (auto& [host, old] : before) {
        INFO(host);
        auto platform = host == "sim0001"   ? devices::Platform::frr
                        : host == "sim0002" ? devices::Platform::eos
                                            : devices::Platform::junos;
        if (recovered.contains(host)) CHECK(devices::config_matches(platform, sim_config(host), old));
    }
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE phase = 'restored' AND job_id = " +
                std::to_string(recovery_id)) == static_cast<long>(recovered.size()));
    CHECK(count("SELECT count(*) FROM devices WHERE hostname = 'sim0001' AND NOT synchronized") == 1);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}

TEST_CASE_METHOD(SyncFixture,
                 "sync.on_interrupted complete: the recovery brings each device forward to its intended config",
                 "[sync][recovery][processes]") {
    std::map<std::string, std::string> before;
    auto id = kill_serve_mid_push(*this, before);
    settings.sync.on_interrupted = devices::RecoveryTarget::complete;
    start();
    REQUIRE(wait_for([&] { return job(id)["next_job_id"].is_number(); }, 60s));
    auto recovery = ended(job(id)["next_job_id"].get<std::int64_t>());
    INFO(recovery.dump(2));
    REQUIRE(recovery["status"] == "FINISHED");
    CHECK(recovery["result"]["on_interrupted"] == "complete");
    auto& recovered = recovery["result"]["devices"];
    REQUIRE(recovered.contains("sim0001"));
    for (auto& [host, d] : recovered.items()) {
        INFO(host);
        CHECK(d["outcome"] == "completed");
        pqxx::read_transaction tx(*conn);
        auto intended = tx.exec_params1(
                              "SELECT intended FROM device_change_journal WHERE hostname = $1 AND "
                              "phase = 'completed'",
                              host)[0]
                            .as<std::string>();
        auto platform = host == "sim0001"   ? devices::Platform::frr
                        : host == "sim0002" ? devices::Platform::eos
                                            : devices::Platform::junos;
        CHECK(devices::config_matches(platform, sim_config(host), intended));
    }
    CHECK(count("SELECT count(*) FROM devices WHERE hostname = 'sim0001' AND synchronized") == 1);
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
}
