// Device sync end to end through the API against the device simulator:
// dry run, live run, a second dry run showing no diff, drift with and without
// force, a failing device beside working ones, confirm modes 1 and 2 (with a
// device that does not answer after its commit and rolls back), auto_push,
// abort, lock contention, bad requests.
#include "devices/config_compare.h"
#include "sync_fixture.h"
#include "templates/render.h"

#include <date/date.h>
#include <fstream>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

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
        // Stored by reference (sync_results_test.cpp: GET /job/<id> shows it).
        CHECK(d["job_tasks"][1]["config_id"].is_number_integer());
        CHECK_FALSE(d["job_tasks"][2]["diff"].get<std::string>().empty());
    }
    CHECK(dry["change_score"].is_number());
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized") == 0);
    {
        // filter_jobresult leaves the bulky configs and diffs out.
        auto token = api::issue_token(auth, "ops", {api::Role::read}, std::chrono::hours(1));
        auto slim = client->Get("/api/v1.0/job/" + dry["id"].dump() + "?filter_jobresult=config,diff",
                                {{"Authorization", "Bearer " + token}});
        REQUIRE(slim->status == 200);
        // As CNaaS-NMS: the "Generate device config" and "Sync device config" tasks go whole.
        auto tasks = json::parse(slim->body)["data"]["jobs"][0]["result"]["devices"]["sim0001"]["job_tasks"];
        REQUIRE(tasks.size() == 1);
        CHECK(tasks[0]["task_name"] == "push_sync_device");
    }

    auto live = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}, {"resync", true}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    CHECK(live["function_name"] == "sync_devices");
    for (auto& [host, d] : live["result"]["devices"].items()) {
        INFO(host);
        CHECK(d["failed"] == false);
    }
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized AND confhash IS NOT NULL") == 6);
    // The change journal: one entry per device changed, written before the
    // push (the config it ran, the one it got), closed once verified.
    auto live_id = live["id"].dump();
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE job_id = " + live_id +
                " AND sync_job_id = job_id AND attempt = 1 AND phase = 'verified' AND closed_at IS NOT NULL") == 6);
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
    CHECK(count("SELECT count(*) FROM device_change_journal c JOIN device_config_history h ON h.hostname = c.hostname "
                "AND h.job_id = c.job_id AND h.source = 'read' JOIN device_config_texts t ON t.sha256 = h.text_sha256 "
                "WHERE c.config_before = t.config AND c.intended <> c.config_before") == 6);

    auto again = ended(schedule({{"all", true}, {"resync", true}}));
    REQUIRE(again["status"] == "FINISHED");
    for (auto& [host, d] : again["result"]["devices"].items()) {
        INFO(host << ": " << d.dump());
        CHECK(d["job_tasks"][2]["diff"] == "");
        CHECK(d["job_tasks"][2]["result"] == "in sync");
    }

    // Config history: what each job read, and what the live run left behind;
    // the previous config of a device can be shown and diffed.
    CHECK(count("SELECT count(*) FROM device_config_history WHERE source = 'read'") == 18);
    CHECK(count("SELECT count(*) FROM device_config_history WHERE source = 'pushed' AND job_id = " +
                live["id"].dump()) == 6);
    auto token = api::issue_token(auth, "ops", {api::Role::read}, std::chrono::hours(1));
    auto history = client->Get("/api/v1.0/device/sim0002/configs", {{"Authorization", "Bearer " + token}});
    REQUIRE(history->status == 200);
    auto configs = json::parse(history->body)["data"]["configs"];
    REQUIRE(configs.size() == 4);  // newest first: read by the last dry run, pushed, read twice before
    CHECK(configs[0]["job_id"] == again["id"]);
    CHECK(configs[1]["source"] == "pushed");
    auto diff = client->Get("/api/v1.0/device/sim0002/configs/" + configs[0]["id"].dump() + "/diff",
                            {{"Authorization", "Bearer " + token}});
    REQUIRE(diff->status == 200);
    auto d = json::parse(diff->body)["data"];
    CHECK(d["to"] == configs[0]["id"]);
    CHECK(d["from"] == configs[2]["id"]);  // the config before the sync (pushed and last read are the same)
    CHECK(contains(d["diff"], "+ntp server 192.0.2.123"));
}

TEST_CASE_METHOD(SyncFixture, "a device changed outside Switchyard stops a live run unless forced", "[sync]") {
    REQUIRE(ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}}))["status"] == "FINISHED");
    auto current = json::parse(sim_ctl({{"op", "get"}, {"host", "sim0001"}}));
    std::string changed = current["config"].get<std::string>();
    changed.insert(changed.rfind("end"), "ip route 203.0.113.0/24 Null0\n!\n");
    sim_ctl({{"op", "set"}, {"host", "sim0001"}, {"config", changed}});

    auto refused = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"confirm_mode", 0}}));
    CHECK(refused["status"] == "EXCEPTION");
    auto msg = refused["exception"]["message"].get<std::string>();
    CHECK(msg.find("changed outside Switchyard") != std::string::npos);
    CHECK(msg.find("sim0001") != std::string::npos);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
    // What the refused run parked for its push went with it (tasks/sync_texts.h).
    CHECK(count("SELECT count(*) FROM sync_parked_configs") == 0);

    auto forced = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"confirm_mode", 0}, {"force", true}}));
    CHECK(forced["status"] == "FINISHED");
    CHECK(forced["result"]["devices"]["sim0001"]["failed"] == false);
    CHECK(json::parse(sim_ctl({{"op", "get"}, {"host", "sim0001"}}))["config"].get<std::string>().find("203.0.113.0") ==
          std::string::npos);
}

TEST_CASE_METHOD(SyncFixture, "one unreachable device fails alone; the job finishes", "[sync]") {
    sim_ctl({{"op", "faults"}, {"host", "sim0004"}, {"faults", {{"refuse_connection", true}}}});
    auto j = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}}));
    INFO(j.dump(2));
    REQUIRE(j["status"] == "FINISHED");
    auto& bad = j["result"]["devices"]["sim0004"];
    CHECK(bad["failed"] == true);
    CHECK(bad["job_tasks"][0]["result"].get<std::string>().find("refused") != std::string::npos);
    CHECK(j["change_score"] == 100);
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0005", "sim0006"})
        CHECK(j["result"]["devices"][host]["failed"] == false);
    auto token = api::issue_token(auth, "ops", {api::Role::read}, std::chrono::hours(1));
    auto metrics = client->Get("/api/v1.0/metrics", {{"Authorization", "Bearer " + token}});
    CHECK(metrics->body.find("switchyard_device_tasks{outcome=\"failed\"} 1") != std::string::npos);
    CHECK(metrics->body.find("switchyard_device_tasks{outcome=\"ok\"} 5") != std::string::npos);
}

TEST_CASE_METHOD(SyncFixture, "an aborted sync starts no new device and ends ABORTED with what it did", "[sync]") {
    // One device at a time, and the first one never answers its commands:
    // the job is held there long enough to be aborted.
    settings.ssh.concurrency = 1;
    settings.ssh.command_timeout_seconds = Seconds(3);
    sim_ctl({{"op", "faults"}, {"host", "sim0001"}, {"faults", {{"hang_commands", true}}}});
    auto id = schedule({{"all", true}});
    // Abort once the job is on the first device (the simulator has its session).
    REQUIRE(wait_for([&] {
        auto out = sim_ctl({{"op", "stats"}});
        return json::parse(out.substr(out.find('{'))).value("active_sessions", 0) > 0;
    }));
    pqxx::work tx(*conn);
    CHECK(engine::abort_job(tx, id, "change freeze", "netops").after == engine::JobStatus::aborting);
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
    auto live = ended(schedule({{"hostname", "sim0002"}, {"dry_run", false}, {"confirm_mode", 0}}));
    CHECK(live["status"] == "EXCEPTION");
    CHECK(live["exception"]["message"].get<std::string>().find("lock 'devices' is held by job " +
                                                               std::to_string(holder)) != std::string::npos);
    CHECK(ended(dry)["status"] == "FINISHED");
    pqxx::work tx(*conn);
    engine::abort_job(tx, holder, "test over", "test");
    tx.commit();
}

TEST_CASE_METHOD(SyncFixture,
                 "a live sync locks its own devices: a disjoint one runs, an overlapping one names the held device",
                 "[sync][locks]") {
    // Another job holds sim0001 for longer than this test.
    auto holder = enqueue("sleep", {{"seconds", 120}, {"lock", "device:sim0001"}});
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 1; }));
    auto disjoint =
        ended(schedule({{"hostname", "sim0002"}, {"dry_run", false}, {"confirm_mode", 0}, {"force", true}}));
    INFO(disjoint.dump(2));
    CHECK(disjoint["status"] == "FINISHED");
    CHECK(status(holder) == "RUNNING");  // both ran at once
    for (auto body : {json{{"hostname", "sim0001"}}, json{{"all", true}}}) {
        body["dry_run"] = false;
        body["confirm_mode"] = 0;
        auto overlapping = ended(schedule(body));
        INFO(overlapping.dump(2));
        CHECK(overlapping["status"] == "EXCEPTION");
        CHECK(overlapping["exception"]["message"].get<std::string>().find("lock 'device:sim0001' is held by job " +
                                                                          std::to_string(holder)) != std::string::npos);
    }
    // Nothing of the refused syncs is left locked; the holder keeps its lock.
    CHECK(count("SELECT count(*) FROM job_locks") == 1);
    pqxx::work tx(*conn);
    engine::abort_job(tx, holder, "test over", "test");
    tx.commit();
}

TEST_CASE_METHOD(SyncFixture, "device_syncto refuses bad requests with a clear message", "[sync]") {
    for (auto& bad : {json::object(), json{{"all", true}, {"hostname", "sim0001"}}, json{{"hostname", "nosuch"}},
                      json{{"all", true}, {"dry_run", "false"}}, json{{"all", true}, {"confirm_mode", 7}},
                      json{{"all", true}, {"confirm_mode", 1.5}}, json{{"all", true}, {"confirm_mode", 99999999999}},
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

    // A request retried with its idempotency key gets the job the key first
    // scheduled, whatever the retry selects; another key schedules another job.
    auto first = json::parse(syncto({{"hostname", "sim0001"}, {"idempotency_key", "change-42"}})->body);
    auto retried = json::parse(syncto({{"all", true}, {"idempotency_key", "change-42"}})->body);
    INFO(first.dump() << " then " << retried.dump());
    CHECK(first["existing"] == false);
    CHECK(retried["existing"] == true);
    CHECK(retried["job_id"] == first["job_id"]);
    CHECK(json::parse(syncto({{"hostname", "sim0001"}, {"idempotency_key", "change-43"}})->body)["job_id"] !=
          first["job_id"]);
    CHECK(syncto({{"all", true}, {"idempotency_key", std::string(201, 'k')}})->status == 400);
    CHECK(syncto({{"all", true}, {"idempotency_key", 42}})->status == 400);

    // When it may start and how urgent it is; the Idempotency-Key header is
    // the field's equivalent.
    auto token = api::issue_token(auth, "netops", {api::Role::operator_}, std::chrono::hours(1));
    auto with_header = [&](const json& body, const std::string& key) {
        auto r =
            client->Post("/api/v1.0/device_syncto", {{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}},
                         body.dump(), "application/json");
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return json::parse(r->body);
    };
    // A month ahead, written at +01:00.
    auto in_a_month =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::hours(720);
    auto at = with_header({{"hostname", "sim0001"},
                           {"scheduled_time", date::format("%FT%T+01:00", in_a_month + std::chrono::hours(1))},
                           {"priority", 2}},
                          "window-1");
    CHECK(at["existing"] == false);
    CHECK(with_header({{"all", true}}, "window-1")["job_id"] == at["job_id"]);
    {
        pqxx::read_transaction tx(*conn);
        auto row = tx.exec_params(
            "SELECT scheduled_time = to_timestamp($2), priority, idempotency_key FROM jobs "
            "WHERE id = $1",
            at["job_id"].get<std::int64_t>(), static_cast<double>(in_a_month.time_since_epoch().count()))[0];
        CHECK(row[0].as<bool>());
        CHECK(row[1].as<int>() == 2);
        CHECK(row[2].as<std::string>() == "window-1");
    }
    auto later = schedule({{"hostname", "sim0001"}, {"delay_seconds", 3600}});
    CHECK(count("SELECT count(*) FROM jobs WHERE id = " + std::to_string(later) +
                " AND scheduled_time > now() + interval '3500 s'") == 1);
    for (auto& bad : {json{{"all", true}, {"scheduled_time", "tomorrow"}},
                      json{{"all", true}, {"scheduled_time", "2099-01-02T03:04:05"}},
                      json{{"all", true}, {"scheduled_time", "2099-01-02T03:04:05Z"}, {"delay_seconds", 5}},
                      json{{"all", true}, {"delay_seconds", -1}}, json{{"all", true}, {"delay_seconds", "5"}},
                      json{{"all", true}, {"priority", 11}}, json{{"all", true}, {"priority", 1.5}}}) {
        auto r = syncto(bad);
        INFO(bad.dump() << " -> " << r->body);
        CHECK(r->status == 400);
    }
    exec("UPDATE jobs SET status = 'ABORTED', finish_time = now() WHERE scheduled_time > now() + interval '1 minute'");
}

TEST_CASE_METHOD(SyncFixture, "confirm mode 1 confirms devices that answer again and rolls back one that does not",
                 "[sync][confirm]") {
    // The commit cuts the management access of sim0001 (frr, no timer of its
    // own) and sim0002 (eos, rolls back when its timer runs out).
    auto frr_before = sim_config("sim0001"), eos_before = sim_config("sim0002");
    for (auto host : {"sim0001", "sim0002"})
        sim_ctl({{"op", "faults"}, {"host", host}, {"faults", {{"lockout_on_change", true}}}});

    auto j = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 1}}));
    INFO(j.dump(2));
    REQUIRE(j["status"] == "FINISHED");
    for (auto host : {"sim0003", "sim0004", "sim0005", "sim0006"}) {
        INFO(host);
        CHECK(j["result"]["devices"][host]["failed"] == false);
        CHECK(task_result(j, host) == "committed and confirmed (verified after the confirm)");
        CHECK(sim_device(host)["pending_rollback"] == false);
    }
    auto frr = j["result"]["devices"]["sim0001"], eos = j["result"]["devices"]["sim0002"];
    CHECK(frr["failed"] == true);
    CHECK(contains(task_result(j, "sim0001", 0), "did not answer on a new connection after the commit"));
    CHECK(contains(task_result(j, "sim0001", 0), "rolled back to the previous config over the first session"));
    // Back to what it ran (frr keeps an emptied `interface eth0` block, as vtysh does).
    CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), frr_before));
    CHECK(eos["failed"] == true);
    CHECK(contains(task_result(j, "sim0002", 0), "it rolls back by itself when its"));
    // Journal: sim0001 restored by us; sim0002 left to its own timer, closed as failed.
    auto journal = [&](const std::string& host) {
        pqxx::read_transaction tx(*conn);
        return tx.exec_params1("SELECT phase FROM device_change_journal WHERE hostname = $1", host)[0]
            .as<std::string>();
    };
    CHECK(journal("sim0001") == "restored");
    CHECK(journal("sim0002") == "failed");
    CHECK(journal("sim0003") == "verified");
    // The eos device still runs the change until its timer runs out, then returns.
    CHECK(sim_device("sim0002")["pending_rollback"] == true);
    expire_timer("sim0002");
    REQUIRE(wait_for([&] { return sim_config("sim0002") == eos_before; }));
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized") == 4);
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized AND hostname IN ('sim0001', 'sim0002')") == 0);
}

TEST_CASE_METHOD(SyncFixture, "confirm mode 2 commits every device on a timer, then confirm_devices confirms them",
                 "[sync][confirm]") {
    auto eos_before = sim_config("sim0005");
    sim_ctl({{"op", "faults"}, {"host", "sim0005"}, {"faults", {{"lockout_on_change", true}}}});

    auto sync = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 2}}));
    INFO(sync.dump(2));
    REQUIRE(sync["status"] == "FINISHED");
    for (auto& [host, d] : sync["result"]["devices"].items()) {
        INFO(host);
        CHECK(d["failed"] == false);
        CHECK(contains(d["job_tasks"][2]["result"], "confirm_devices job (next_job_id) confirms it"));
    }
    // Committed, not yet confirmed: nothing is recorded as synchronized.
    REQUIRE(sync["next_job_id"].is_number());
    auto confirm = ended(sync["next_job_id"].get<std::int64_t>());
    // The journal: the confirm job adopted the sync's open changes, then closed them.
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE sync_job_id = " + sync["id"].dump() +
                " AND job_id = " + confirm["id"].dump() + " AND phase = 'verified'") == 5);
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE hostname = 'sim0005' AND phase = 'failed'") == 1);
    INFO(confirm.dump(2));
    REQUIRE(confirm["status"] == "FINISHED");
    CHECK(confirm["function_name"] == "confirm_devices");
    CHECK(confirm["result"]["sync_job_id"] == sync["id"]);
    CHECK(confirm["finished_devices"].size() == 6);
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0004", "sim0006"}) {
        INFO(host);
        auto& d = confirm["result"]["devices"][host];
        CHECK(d["failed"] == false);
        CHECK(d["job_tasks"][0]["task_name"] == "Confirm device config");
        CHECK(d["job_tasks"][0]["result"] == "confirmed");
        CHECK(sim_device(host)["pending_rollback"] == false);
    }
    auto& locked_out = confirm["result"]["devices"]["sim0005"];
    CHECK(locked_out["failed"] == true);
    CHECK(contains(locked_out["job_tasks"][0]["result"], "could not confirm"));
    CHECK(contains(locked_out["job_tasks"][0]["result"], "the device rolls back by itself when its timer runs out"));
    CHECK(sim_device("sim0005")["pending_rollback"] == true);
    expire_timer("sim0005");
    REQUIRE(wait_for([&] { return sim_config("sim0005") == eos_before; }));
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized") == 5);
    CHECK(count("SELECT count(*) FROM device_pending_commits WHERE hostname <> 'sim0005'") == 0);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);

    auto again = ended(schedule({{"all", true}, {"resync", true}}));
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0004", "sim0006"})
        CHECK(task_result(again, host) == "in sync");
}

TEST_CASE_METHOD(SyncFixture, "auto_push pushes a one-device dry run only when its change score is low",
                 "[sync][auto_push]") {
    // Settings of our own, so the test can change sim0001's intended config.
    std::filesystem::copy(templates::bundled_settings_dir(), dir + "/settings",
                          std::filesystem::copy_options::recursive);
    settings.sync.settings_dir = dir + "/settings";
    auto routes = [&](const std::string& list) {
        std::ofstream(dir + "/settings/devices/sim0001.yml") << "static_routes: [" << list << "]\n";
    };
    routes("{prefix: 198.51.100.0/24, next_hop: 10.255.0.1}");
    REQUIRE(ended(schedule(
                {{"hostname", "sim0001"}, {"dry_run", false}, {"confirm_mode", 0}, {"force", true}}))["status"] ==
            "FINISHED");

    // One more static route: a small change, pushed by the job that follows.
    routes("{prefix: 198.51.100.0/24, next_hop: 10.255.0.1}, {prefix: 203.0.113.0/24, next_hop: 10.255.0.1}");
    auto dry = ended(schedule({{"hostname", "sim0001"}, {"auto_push", true}}));
    INFO(dry.dump(2));
    REQUIRE(dry["status"] == "FINISHED");
    CHECK(dry["change_score"].get<int>() < 10);
    CHECK(dry["result"]["auto_push"]["scheduled"] == true);
    REQUIRE(dry["next_job_id"].is_number());
    auto live = ended(dry["next_job_id"].get<std::int64_t>());
    INFO(live.dump(2));
    CHECK(live["status"] == "FINISHED");
    CHECK(live["function_name"] == "sync_devices");
    CHECK(live["result"]["devices"]["sim0001"]["failed"] == false);
    CHECK(contains(sim_config("sim0001"), "ip route 203.0.113.0/24 10.255.0.1"));

    // The same small change with a limit it is not under: reported, not pushed.
    settings.sync.auto_push_max_score = 0;
    routes("{prefix: 198.51.100.0/24, next_hop: 10.255.0.1}");
    auto held = ended(schedule({{"hostname", "sim0001"}, {"auto_push", true}}));
    INFO(held.dump(2));
    CHECK(held["status"] == "FINISHED");
    CHECK(held["result"]["auto_push"]["scheduled"] == false);
    CHECK(contains(held["result"]["auto_push"]["reason"], "is not under the auto_push limit 0"));
    CHECK(held["next_job_id"].is_null());
    CHECK(contains(sim_config("sim0001"), "ip route 203.0.113.0/24 10.255.0.1"));

    // auto_push is for a dry run of one device.
    CHECK(syncto({{"all", true}, {"auto_push", true}})->status == 400);
    CHECK(syncto({{"hostname", "sim0001"}, {"auto_push", true}, {"dry_run", false}})->status == 400);
}
