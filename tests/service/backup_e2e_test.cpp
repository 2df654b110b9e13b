// backup_configs end to end through the API against the device simulator:
// every running config stored, a second backup storing nothing new, a device
// changed out of band stored again, an unreachable device failing alone,
// secrets masked in what the history shows, a schedule of backups, bad
// requests. sim0001 frr, sim0002 eos, sim0003 junos, sim0004 frr, ...
#include "devices/config_diff.h"
#include "sync_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const char* const kHosts[] = {"sim0001", "sim0002", "sim0003", "sim0004", "sim0005", "sim0006"};

struct BackupFixture : SyncFixture {
    httplib::Result backup_request(const json& body, api::Role role = api::Role::operator_) {
        return post("/device_backup", body, role);
    }
    std::int64_t backup(const json& body) { return scheduled_job(backup_request(body), "Scheduled job to back up"); }
    // The job ended FINISHED; its result's device entries.
    json finished_devices_of(std::int64_t id) {
        auto j = ended(id);
        INFO(j.dump(2));
        REQUIRE(j["status"] == "FINISHED");
        CHECK(j["function_name"] == "backup_configs");
        return j["result"]["devices"];
    }
    std::string history_config(const std::string& host, const json& id) {
        return api_get("/device/" + host + "/configs/" + id.dump())["config"];
    }
    long records(const std::string& host) {
        return count("SELECT count(*) FROM device_config_history WHERE hostname = '" + host + "'");
    }
    // The device's config as the simulator holds it, with `lines` added
    // (frr: before its final "end").
    void add_to_config(const std::string& host, const std::string& lines) {
        std::string config = sim_config(host);
        auto end = config.rfind("end");
        REQUIRE(end != std::string::npos);
        config.insert(end, lines);
        auto out = sim_ctl({{"op", "set"}, {"host", host}, {"config", config}});
        INFO(out);
        REQUIRE(contains(out, "\"ok\":true"));
    }
};

}  // namespace

TEST_CASE_METHOD(BackupFixture, "a backup stores each running config, a second one nothing new, a change again",
                 "[backup]") {
    auto first_id = backup({{"all", true}});
    auto first = finished_devices_of(first_id);
    REQUIRE(first.size() == 6);
    CHECK(job(first_id)["finished_devices"].size() == 6);
    std::map<std::string, json> first_ids;
    for (auto host : kHosts) {
        const json& d = first[host];
        INFO(host << ": " << d.dump());
        CHECK(d["failed"] == false);
        CHECK(d["backup"] == "stored");
        REQUIRE(d["config_id"].is_number_integer());
        first_ids[host] = d["config_id"];
        CHECK(d["job_tasks"][0]["task_name"] == "Backup device config");
        CHECK(d["job_tasks"][0]["result"] == "stored as config " + d["config_id"].dump());
        CHECK(records(host) == 1);
        // What was stored is the device's running config (the same once normalised).
        CHECK(devices::config_hash(history_config(host, d["config_id"])) == devices::config_hash(sim_config(host)));
    }
    CHECK(job(first_id)["result"]["backup"] ==
          json({{"stored", 6}, {"unchanged", 0}, {"failed", 0}, {"not started", 0}}));
    CHECK(count("SELECT count(*) FROM device_config_history WHERE source = 'read' AND job_id = " +
                std::to_string(first_id)) == 6);
    // A backup reads: it neither syncs nor marks devices synchronized.
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized OR confhash IS NOT NULL") == 0);

    auto second_id = backup({{"all", true}});
    auto second = finished_devices_of(second_id);
    for (auto host : kHosts) {
        const json& d = second[host];
        INFO(host << ": " << d.dump());
        CHECK(d["failed"] == false);
        CHECK(d["backup"] == "unchanged");
        CHECK(d["config_id"] == first_ids[host]);
        CHECK(d["job_tasks"][0]["result"] == "unchanged since config " + first_ids[host].dump());
        CHECK(records(host) == 1);
    }
    CHECK(job(second_id)["result"]["backup"]["unchanged"] == 6);

    // Changed outside Switchyard: that device, and only it, is stored again.
    add_to_config("sim0001", "ip route 203.0.113.0/24 Null0\n!\n");
    auto third = finished_devices_of(backup({{"all", true}}));
    for (auto host : kHosts) {
        INFO(host << ": " << third[host].dump());
        bool changed = std::string(host) == "sim0001";
        CHECK(third[host]["backup"] == (changed ? "stored" : "unchanged"));
        CHECK(records(host) == (changed ? 2 : 1));
    }
    REQUIRE(third["sim0001"]["config_id"].is_number_integer());
    CHECK(third["sim0001"]["config_id"].get<std::int64_t>() > first_ids["sim0001"].get<std::int64_t>());
    CHECK(contains(history_config("sim0001", third["sim0001"]["config_id"]), "ip route 203.0.113.0/24 Null0"));
    CHECK_FALSE(contains(history_config("sim0001", first_ids["sim0001"]), "203.0.113.0"));
    // The history shows the change as any other: the previous config, diffed.
    auto diff = api_get("/device/sim0001/configs/" + third["sim0001"]["config_id"].dump() + "/diff");
    CHECK(diff["from"] == first_ids["sim0001"]);
    CHECK(contains(diff["diff"], "+ip route 203.0.113.0/24 Null0"));
}

TEST_CASE_METHOD(BackupFixture, "an unreachable device fails alone; the others are stored", "[backup]") {
    sim_ctl({{"op", "faults"}, {"host", "sim0004"}, {"faults", {{"refuse_connection", true}}}});
    auto id = backup({{"all", true}});
    auto devs = finished_devices_of(id);
    INFO(devs.dump(2));
    CHECK(devs["sim0004"]["failed"] == true);
    CHECK(devs["sim0004"]["backup"] == "failed");
    CHECK(devs["sim0004"]["config_id"].is_null());
    CHECK(contains(devs["sim0004"]["job_tasks"][0]["result"], "refused"));
    CHECK(records("sim0004") == 0);
    for (auto host : kHosts) {
        if (std::string(host) == "sim0004") continue;
        INFO(host);
        CHECK(devs[host]["failed"] == false);
        CHECK(devs[host]["backup"] == "stored");
        CHECK(records(host) == 1);
    }
    CHECK(job(id)["result"]["backup"] == json({{"stored", 5}, {"unchanged", 0}, {"failed", 1}, {"not started", 0}}));
    CHECK(job(id)["finished_devices"].size() == 6);
}

TEST_CASE_METHOD(BackupFixture, "a history connection the database dropped mid-backup is opened again",
                 "[backup][database]") {
    // sim0002 answers slowly (16 bytes every 250 ms: several seconds for its
    // config): the others are recorded long before it is read.
    sim_ctl(
        {{"op", "faults"}, {"host", "sim0002"}, {"faults", {{"slow_output", {{"bytes", 16}, {"interval_ms", 250}}}}}});
    auto id = backup({{"all", true}});
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM device_config_history") == 5; }, 60s));
    // The database drops the job's history connection (a restart, a
    // failover) while sim0002 is still being read: the connection the job
    // opened last, at its first record, idle after that record's commit.
    CHECK(count("SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity WHERE datname = "
                "current_database() AND pid <> pg_backend_pid() AND state = 'idle' AND query = 'COMMIT' "
                "ORDER BY backend_start DESC LIMIT 1) newest") == 1);
    REQUIRE(records("sim0002") == 0);  // else this test proves nothing: sim0002 must be read slower
    auto devs = finished_devices_of(id);
    INFO(devs.dump(2));
    CHECK(devs["sim0002"]["failed"] == false);
    CHECK(devs["sim0002"]["backup"] == "stored");
    CHECK(records("sim0002") == 1);
    CHECK(job(id)["result"]["backup"] == json({{"stored", 6}, {"unchanged", 0}, {"failed", 0}, {"not started", 0}}));
}

TEST_CASE_METHOD(BackupFixture, "secrets in a backed-up config are masked wherever it is shown", "[backup][secrets]") {
    add_to_config("sim0001", "router bgp 65300\n neighbor 10.9.9.9 password BgpNeighborSecret4\nexit\n!\n");
    auto id = backup({{"hostname", "sim0001"}});
    auto devs = finished_devices_of(id);
    REQUIRE(devs["sim0001"]["backup"] == "stored");
    std::string shown = history_config("sim0001", devs["sim0001"]["config_id"]);
    CHECK(contains(shown, "neighbor 10.9.9.9 password ****"));
    CHECK_FALSE(contains(shown, "BgpNeighborSecret4"));
    CHECK_FALSE(contains(api_get("/job/" + std::to_string(id)).dump(), "BgpNeighborSecret4"));
    // Kept raw, as every record (a rotated password is a change; a restore needs it).
    CHECK(count("SELECT count(*) FROM device_config_texts WHERE config LIKE '%BgpNeighborSecret4%'") == 1);

    // A rotated secret is a change: stored again, shown masked again.
    std::string config = sim_config("sim0001");
    auto at = config.find("BgpNeighborSecret4");
    REQUIRE(at != std::string::npos);
    config.replace(at, std::string("BgpNeighborSecret4").size(), "RotatedSecret5");
    REQUIRE(contains(sim_ctl({{"op", "set"}, {"host", "sim0001"}, {"config", config}}), "\"ok\":true"));
    auto rotated = finished_devices_of(backup({{"hostname", "sim0001"}}));
    CHECK(rotated["sim0001"]["backup"] == "stored");
    std::string rotated_shown = history_config("sim0001", rotated["sim0001"]["config_id"]);
    CHECK(contains(rotated_shown, "neighbor 10.9.9.9 password ****"));
    CHECK_FALSE(contains(rotated_shown, "RotatedSecret5"));
}

TEST_CASE_METHOD(BackupFixture, "a schedule of backup_configs runs backups by itself", "[backup][schedules]") {
    auto admin = token(api::Role::admin);
    auto r = client->Post("/api/v1.0/schedules", {{"Authorization", "Bearer " + admin}},
                          json{{"name", "nightly-backup"},
                               {"function_name", "backup_configs"},
                               {"arguments", {{"group", "nosuch"}}},
                               {"interval_seconds", 1}}
                              .dump(),
                          "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
    auto schedule_id = json::parse(r->body)["data"]["schedules"][0]["id"].get<std::int64_t>();
    // A schedule's selector is resolved when each job runs: one that selects
    // nothing ends EXCEPTION saying so.
    REQUIRE(wait_for(
        [&] {
            return count(
                       "SELECT count(*) FROM jobs WHERE function_name = 'backup_configs' AND status = "
                       "'EXCEPTION'") >= 1;
        },
        60s));
    auto refused = client->Put(("/api/v1.0/schedule/" + std::to_string(schedule_id)).c_str(),
                               {{"Authorization", "Bearer " + admin}}, json{{"arguments", {{"all", true}}}}.dump(),
                               "application/json");
    REQUIRE(refused);
    INFO(refused->body);
    REQUIRE(refused->status == 200);
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM device_config_history") == 6; }, 60s));
    auto disabled =
        client->Put(("/api/v1.0/schedule/" + std::to_string(schedule_id)).c_str(),
                    {{"Authorization", "Bearer " + admin}}, json{{"enabled", false}}.dump(), "application/json");
    REQUIRE(disabled);
    REQUIRE(disabled->status == 200);
    {
        pqxx::read_transaction tx(*conn);
        auto failed = tx.exec(
                            "SELECT exception::text FROM jobs WHERE function_name = 'backup_configs' AND status = "
                            "'EXCEPTION' ORDER BY id LIMIT 1")[0][0]
                          .as<std::string>();
        CHECK(contains(failed, "devices in group nosuch selects no MANAGED device"));
    }
    // Later ticks found every config unchanged: six records, whatever the ticks.
    REQUIRE(wait_for(
        [&] {
            return count(
                       "SELECT count(*) FROM jobs WHERE function_name = 'backup_configs' AND status IN ('SCHEDULED', "
                       "'RUNNING')") == 0;
        },
        60s));
    CHECK(count("SELECT count(*) FROM device_config_history") == 6);
}

TEST_CASE_METHOD(BackupFixture, "device_backup refuses bad requests and needs the operator role", "[backup]") {
    // Each refused with 400 and a message naming what is wrong.
    const std::vector<std::pair<json, std::string>> bad_requests = {
        {json::object(), "exactly one of"},
        {json{{"all", true}, {"hostname", "sim0001"}}, "exactly one of"},
        {json{{"hostname", "nosuch"}}, "nosuch"},
        {json{{"all", true}, {"resync", true}}, "resync"},
        {json{{"all", true}, {"dry_run", false}}, "dry_run"},
        {json{{"device_type", "ROUTER"}}, "ROUTER"},
        {json{{"all", "yes"}}, "all"},
        {json{{"hostname", 5}}, "hostname"},
        {json{{"hostname", std::string(1001, 'h')}}, "hostname"},
        {json{{"group", json::array({"g1"})}}, "group"},
        {json{{"all", true}, {"ticket_ref", std::string(33, 'x')}}, "ticket_ref"}};
    for (auto& [bad, named] : bad_requests) {
        auto r = backup_request(bad);
        REQUIRE(r);
        INFO(bad.dump().substr(0, 200) << " -> " << r->body.substr(0, 300));
        CHECK(r->status == 400);
        CHECK(contains(json::parse(r->body)["message"].get<std::string>(), named));
    }
    auto as_reader = backup_request({{"all", true}}, api::Role::read);
    REQUIRE(as_reader);
    CHECK(as_reader->status == 403);
    auto no_token = client->Post("/api/v1.0/device_backup", json{{"all", true}}.dump(), "application/json");
    REQUIRE(no_token);
    CHECK(no_token->status == 401);
    CHECK(count("SELECT count(*) FROM jobs") == 0);

    // What a job of it keeps: the selector asked for and the devices it selected.
    auto id = backup({{"device_type", "UNKNOWN"}, {"comment", "before the change window"}});
    auto j = job(id);
    CHECK(j["comment"] == "before the change window");
    CHECK(j["scheduled_by"] == "netops");
    CHECK(j["start_arguments"]["device_type"] == "UNKNOWN");
    CHECK(j["start_arguments"]["hostnames"].size() == 6);
    CHECK_FALSE(j["start_arguments"].contains("resync"));
    ended(id);
}
