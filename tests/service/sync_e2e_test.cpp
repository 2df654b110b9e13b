// Device sync end to end through the API against the device simulator:
// dry run, live run, a second dry run showing no diff, drift with and without
// force, a failing device beside working ones, lock contention, bad requests.
#include "api/api_server.h"
#include "child_process.h"
#include "devices/device_store.h"
#include "engine_fixture.h"
#include "sync_access.h"

#include <filesystem>
#include <httplib.h>
#include <unistd.h>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct SyncFixture : EngineFixture {
    std::string dir;
    std::unique_ptr<ChildProcess> sim;
    api::AuthConfig auth{"0123456789abcdef0123456789abcdef", ""};
    std::unique_ptr<api::ApiContext> api_ctx;
    std::unique_ptr<api::ApiServer> server;
    std::unique_ptr<httplib::Client> client;

    SyncFixture() {
        dir = "/tmp/sy-sync-" + std::to_string(getpid()) + "-" + std::to_string(std::rand());
        std::filesystem::create_directories(dir);
        int base_port = 30000 + (getpid() % 2000) * 10;
        sim = std::make_unique<ChildProcess>(
            std::vector<std::string>{SWITCHYARD_SIM, "--state-dir", dir + "/sim", "--devices", "6", "--base-port",
                                     std::to_string(base_port), "--platforms", "frr,eos,junos", "--latency-ms", "5"},
            dir + "/sim.log");
        REQUIRE(wait_for([&] { return sim->log().find("switchyard-sim ready") != std::string::npos || !sim->running(); }, 30s));
        INFO(sim->log());
        REQUIRE(sim->running());
        {
            auto c = store::connect(url, 5);
            devices::DeviceStore(*c).upsert_all(devices::load_inventory_file(dir + "/sim/inventory.json"));
        }
        settings.credentials["default"] = {"admin", "admin", "", ""};
        settings.sync.lock_wait_seconds = 1;
        settings.jobs.progress_flush_ms = 100;
        // Made when a job runs, from the settings as a test left them.
        tasks::register_sync_tasks(registry, [this] { return make_sync_environment(settings, url); });
        start();
        api_ctx = std::make_unique<api::ApiContext>(settings, registry, url, auth);
        server = std::make_unique<api::ApiServer>(*api_ctx);
        server->start("127.0.0.1:0");
        client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
        client->set_read_timeout(20, 0);
    }
    ~SyncFixture() {
        server->stop();
        sim->signal(SIGTERM);
        sim->wait(10s);
        std::filesystem::remove_all(dir);
    }

    httplib::Result syncto(const json& body) {
        auto token = api::issue_token(auth, "netops", {api::Role::operator_}, std::chrono::hours(1));
        return client->Post("/api/v1.0/device_syncto", {{"Authorization", "Bearer " + token}}, body.dump(),
                            "application/json");
    }
    std::int64_t schedule(const json& body) {
        auto r = syncto(body);
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        auto b = json::parse(r->body);
        CHECK(b["data"].get<std::string>().rfind("Scheduled job to synchronize", 0) == 0);
        return b["job_id"];
    }
    json ended(std::int64_t id) {
        REQUIRE(wait_for([&] {
            auto s = status(id);
            return s == "FINISHED" || s == "EXCEPTION" || s == "ABORTED";
        }, 60s));
        return job(id);
    }
    std::string sim_ctl(const json& request) {
        auto [code, out] = run_command({SWITCHYARD_SIM, "--state-dir", dir + "/sim", "--ctl", request.dump()});
        REQUIRE(code == 0);
        return out;
    }
};

}  // namespace

TEST_CASE_METHOD(SyncFixture, "dry run, live run, then nothing left to change", "[sync]") {
    auto dry = ended(schedule({{"all", true}}));
    INFO(dry.dump(2));
    REQUIRE(dry["status"] == "FINISHED");
    CHECK(dry["function_name"] == "sync_devices (dry_run)");
    CHECK(dry["finished_devices"].size() == 6);
    auto& devs = dry["result"]["devices"];
    REQUIRE(devs.size() == 6);
    for (auto& [host, d] : devs.items()) {
        INFO(host);
        CHECK(d["failed"] == false);
        REQUIRE(d["job_tasks"].size() == 3);
        CHECK(d["job_tasks"][0]["task_name"] == "push_sync_device");
        CHECK(d["job_tasks"][1]["task_name"] == "Generate device config");
        CHECK(d["job_tasks"][2]["task_name"] == "Sync device config");
        CHECK(d["job_tasks"][1]["result"].get<std::string>().find(host) != std::string::npos);
        CHECK_FALSE(d["job_tasks"][2]["diff"].get<std::string>().empty());
    }
    CHECK(dry["change_score"].is_number());
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized") == 0);

    auto live = ended(schedule({{"all", true}, {"dry_run", false}, {"resync", true}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    CHECK(live["function_name"] == "sync_devices");
    for (auto& [host, d] : live["result"]["devices"].items()) {
        INFO(host);
        CHECK(d["failed"] == false);
    }
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized AND confhash IS NOT NULL") == 6);

    auto again = ended(schedule({{"all", true}, {"resync", true}}));
    REQUIRE(again["status"] == "FINISHED");
    for (auto& [host, d] : again["result"]["devices"].items()) {
        INFO(host << ": " << d.dump());
        CHECK(d["job_tasks"][2]["diff"] == "");
        CHECK(d["job_tasks"][2]["result"] == "in sync");
    }
}

TEST_CASE_METHOD(SyncFixture, "a device changed outside Switchyard stops a live run unless forced", "[sync]") {
    REQUIRE(ended(schedule({{"all", true}, {"dry_run", false}}))["status"] == "FINISHED");
    auto current = json::parse(sim_ctl({{"op", "get"}, {"host", "sim0001"}}));
    std::string changed = current["config"].get<std::string>();
    changed.insert(changed.rfind("end"), "ip route 203.0.113.0/24 Null0\n!\n");
    sim_ctl({{"op", "set"}, {"host", "sim0001"}, {"config", changed}});

    auto refused = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}}));
    CHECK(refused["status"] == "EXCEPTION");
    auto msg = refused["exception"]["message"].get<std::string>();
    CHECK(msg.find("changed outside Switchyard") != std::string::npos);
    CHECK(msg.find("sim0001") != std::string::npos);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);

    auto forced = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"force", true}}));
    CHECK(forced["status"] == "FINISHED");
    CHECK(forced["result"]["devices"]["sim0001"]["failed"] == false);
    CHECK(json::parse(sim_ctl({{"op", "get"}, {"host", "sim0001"}}))["config"].get<std::string>().find("203.0.113.0") ==
          std::string::npos);
}

TEST_CASE_METHOD(SyncFixture, "one unreachable device fails alone; the job finishes", "[sync]") {
    sim_ctl({{"op", "faults"}, {"host", "sim0004"}, {"faults", {{"refuse_connection", true}}}});
    auto j = ended(schedule({{"all", true}, {"dry_run", false}}));
    INFO(j.dump(2));
    REQUIRE(j["status"] == "FINISHED");
    auto& bad = j["result"]["devices"]["sim0004"];
    CHECK(bad["failed"] == true);
    CHECK(bad["job_tasks"][0]["result"].get<std::string>().find("refused") != std::string::npos);
    CHECK(j["change_score"] == 100);
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0005", "sim0006"}) CHECK(j["result"]["devices"][host]["failed"] == false);
    auto token = api::issue_token(auth, "ops", {api::Role::read}, std::chrono::hours(1));
    auto metrics = client->Get("/api/v1.0/metrics", {{"Authorization", "Bearer " + token}});
    CHECK(metrics->body.find("switchyard_device_tasks{outcome=\"failed\"} 1") != std::string::npos);
    CHECK(metrics->body.find("switchyard_device_tasks{outcome=\"ok\"} 5") != std::string::npos);
}

TEST_CASE_METHOD(SyncFixture, "an aborted sync starts no new device and ends ABORTED with what it did", "[sync]") {
    // One device at a time, and the first one never answers its commands:
    // the job is held there long enough to be aborted.
    settings.ssh.concurrency = 1;
    settings.ssh.command_timeout_seconds = 3;
    sim_ctl({{"op", "faults"}, {"host", "sim0001"}, {"faults", {{"hang_commands", true}}}});
    auto id = schedule({{"all", true}});
    // Abort once the job is on the first device (the simulator has its session).
    REQUIRE(wait_for([&] {
        auto out = sim_ctl({{"op", "stats"}});
        return json::parse(out.substr(out.find('{'))).value("active_sessions", 0) > 0;
    }));
    pqxx::work tx(*conn);
    CHECK(engine::abort_job(tx, id, "change freeze", "netops").after == "ABORTING");
    tx.commit();
    auto j = ended(id);
    INFO(j.dump(2));
    CHECK(j["status"] == "ABORTED");
    CHECK(j["result"]["message"] == "Job aborted: change freeze");
    auto& devs = j["result"]["devices"];
    CHECK(devs.size() == 6);
    int skipped = 0;
    for (auto& [host, d] : devs.items())
        if (d["job_tasks"][2]["result"] == "not started: the job was aborted") ++skipped;
    CHECK(skipped == 5);
    CHECK(devs["sim0001"]["failed"] == true);  // it timed out; the others never started
}

TEST_CASE_METHOD(SyncFixture, "a live sync waits for the devices lock a bounded time; dry runs need none", "[sync]") {
    auto holder = enqueue("sleep", {{"seconds", 8}, {"lock", "devices"}});
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 1; }));
    auto dry = schedule({{"hostname", "sim0002"}});
    auto live = ended(schedule({{"hostname", "sim0002"}, {"dry_run", false}}));
    CHECK(live["status"] == "EXCEPTION");
    CHECK(live["exception"]["message"].get<std::string>().find("lock 'devices' is held by job " + std::to_string(holder)) !=
          std::string::npos);
    CHECK(ended(dry)["status"] == "FINISHED");
    pqxx::work tx(*conn);
    engine::abort_job(tx, holder, "test over", "test");
    tx.commit();
}

TEST_CASE_METHOD(SyncFixture, "device_syncto refuses bad requests with a clear message", "[sync]") {
    for (auto& bad : {json::object(), json{{"all", true}, {"hostname", "sim0001"}}, json{{"hostname", "nosuch"}},
                      json{{"all", true}, {"dry_run", "false"}}, json{{"all", true}, {"confirm_mode", 7}},
                      json{{"device_type", "ROUTER"}}, json{{"all", true}, {"colour", "red"}}}) {
        auto r = syncto(bad);
        INFO(bad.dump() << " -> " << r->body);
        CHECK(r->status == 400);
    }
    exec("UPDATE devices SET state = 'UNMANAGED' WHERE hostname = 'sim0003'");
    CHECK(json::parse(syncto({{"hostname", "sim0003"}})->body)["message"].get<std::string>().find("not MANAGED") !=
          std::string::npos);
    auto r = syncto({{"device_type", "UNKNOWN"}});
    CHECK(r->get_header_value("X-Total-Count") == "5");
}
