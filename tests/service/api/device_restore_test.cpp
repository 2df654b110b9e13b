// Restoring a recorded config to a device (issue 14 item 4): POST
// /device/<hostname>/apply_config {"config_id"} and CNaaS-NMS's POST
// /device/<hostname>/previous_config {"job_id"}, as apply_config jobs with a
// sync's safety, against a real PostgreSQL and the device simulator.
#include "cnaas_fixture.h"
#include "devices/config_compare.h"
#include "devices/config_history.h"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

struct RestoreApi : CnaasApi {
    SimulatedDevices sim{url, settings, 2};  // sim0001 (frr), sim0002 (eos)
    RestoreApi() { start_api(); }

    // The device's config history, oldest first.
    json records(const std::string& host) {
        auto list = ok(get("/api/v1.0/device/" + host + "/configs?per_page=1000"))["configs"];
        std::reverse(list.begin(), list.end());
        return list;
    }
    std::int64_t scheduled(const Answer& a) {
        INFO(a.body.dump());
        REQUIRE(a.status == 200);
        CHECK(a.body["status"] == "success");
        return a.body["job_id"].get<std::int64_t>();
    }
    // A 4xx whose message names `named`.
    void refused(const Answer& a, int status, const std::string& named) {
        INFO(a.body.dump());
        CHECK(a.status == status);
        CHECK(a.body["status"] == "error");
        CHECK_THAT(a.body["message"].get<std::string>(), Catch::Contains(named));
    }
    std::int64_t record(const std::string& host, const std::string& text) {
        devices::ConfigHistory history(*conn);
        history.record({{host, text, std::nullopt, "read"}});
        return history.list(host, 1, 0).at(0).id;
    }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The secret the config before the sync holds; the templates drop it.
const std::string kKeyChain = "key chain OSPF\n key 1\n  key-string KeyStringSecret1\nexit\n!\n";

}  // namespace

TEST_CASE_METHOD(RestoreApi, "apply_config: a dry run diffs back to a recorded config, a live run restores it",
                 "[api][restore]") {
    sim.set_config("sim0001", sim.config("sim0001") + kKeyChain);
    const std::string before = sim.config("sim0001");
    start();
    // A live sync replaces it with what the templates render.
    auto sync_id =
        scheduled(post("/api/v1.0/device_syncto",
                       {{"hostname", "sim0001"}, {"dry_run", false}, {"resync", true}, {"confirm_mode", 0}}));
    REQUIRE(ended(sync_id)["status"] == "FINISHED");
    const std::string synced = sim.config("sim0001");
    REQUIRE_FALSE(has(synced, "KeyStringSecret1"));
    auto history = records("sim0001");
    REQUIRE(history.size() == 2);
    REQUIRE(history[0]["source"] == "read");
    const auto known_good = history[0]["id"].get<std::int64_t>();
    REQUIRE(devices::DeviceStore(*conn).get("sim0001")->synchronized);

    // The dry run (the default): the diff back to the record, nothing changed.
    auto dry_answer = post("/api/v1.0/device/sim0001/apply_config", {{"config_id", known_good}});
    auto dry = ended(scheduled(dry_answer));
    CHECK(dry_answer.body["config_id"] == known_good);
    CHECK(dry_answer.body["data"] == "Scheduled job to apply config sim0001");  // CNaaS-NMS's words
    INFO(dry.dump(2));
    CHECK(dry["status"] == "FINISHED");
    CHECK(dry["function_name"] == "apply_config");
    CHECK(dry["start_arguments"]["hostname"] == "sim0001");
    CHECK(dry["start_arguments"]["config_id"] == known_good);
    CHECK(dry["start_arguments"]["dry_run"] == true);
    // It only reads: run again should its worker die, as a sync's dry run.
    CHECK(dry["max_attempts"] == 2);
    CHECK(count("SELECT count(*) FROM jobs WHERE retry_safe AND id = " + std::to_string(dry["id"].get<long>())) == 1);
    CHECK(dry["result"]["config_id"] == known_good);
    const auto& device = dry["result"]["devices"]["sim0001"];
    CHECK(device["failed"] == false);
    REQUIRE(device["job_tasks"].size() == 2);
    CHECK(device["job_tasks"][0]["task_name"] == "push_static_config");
    const auto& push = device["job_tasks"][1];
    CHECK(push["task_name"] == "Push static config");
    CHECK(push["result"] == "differs from config " + std::to_string(known_good));
    CHECK(has(push["diff"], "+key chain OSPF"));
    CHECK(has(push["diff"], "key-string ****"));  // masked on the way out
    CHECK_FALSE(has(dry.dump(), "KeyStringSecret1"));
    CHECK(dry["change_score"].get<int>() > 0);
    CHECK(sim.config("sim0001") == synced);
    CHECK(devices::DeviceStore(*conn).get("sim0001")->synchronized);  // a dry run says nothing of the templates
    CHECK(count("SELECT count(*) FROM device_change_journal") == 1);  // the sync's only

    // The live run: the device runs the record again, verified, recorded.
    auto live_id =
        scheduled(post("/api/v1.0/device/sim0001/apply_config", {{"config_id", known_good},
                                                                 {"dry_run", false},
                                                                 {"confirm_mode", 1},
                                                                 {"comment", "back to the known-good config"},
                                                                 {"ticket_ref", "CHG-1"}}));
    auto live = ended(live_id);
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    CHECK(live["max_attempts"] == 1);
    CHECK(live["comment"] == "back to the known-good config");
    CHECK(live["result"]["devices"]["sim0001"]["failed"] == false);
    CHECK(live["result"]["devices"]["sim0001"]["job_tasks"][1]["result"] ==
          "committed and confirmed (verified after the confirm)");
    CHECK_FALSE(has(live.dump(), "KeyStringSecret1"));
    CHECK(has(sim.config("sim0001"), "key-string KeyStringSecret1"));
    CHECK(devices::config_matches(devices::Platform::frr, sim.config("sim0001"), before));
    auto after = records("sim0001");
    REQUIRE(after.size() >= 4);
    CHECK(after.back()["source"] == "pushed");
    CHECK(after.back()["job_id"] == live_id);
    auto pushed_text = devices::ConfigHistory(*conn).config_text("sim0001", after.back()["id"].get<std::int64_t>());
    REQUIRE(pushed_text);
    CHECK(devices::config_matches(devices::Platform::frr, *pushed_text, before));
    // Switchyard left that config there (its confhash), but the templates
    // may not render it: unsynchronized, the sync history says why.
    auto state = devices::DeviceStore(*conn).get("sim0001");
    CHECK_FALSE(state->synchronized);
    CHECK(state->confhash == after.back()["confhash"]);
    auto events = ok(get("/api/v1.0/device_synchistory?hostname=sim0001"))["hostnames"]["sim0001"];
    REQUIRE(events.size() == 1);
    CHECK(events[0]["cause"] == "apply_config");
    CHECK(events[0]["job_id"] == live_id);
    // Its change journal entry opened and closed verified.
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE job_id = " + std::to_string(live_id) +
                " AND phase = 'verified'") == 1);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);

    // CNaaS-NMS's restore: the config the sync job pushed, by its job id.
    auto back_answer = post("/api/v1.0/device/sim0001/previous_config",
                            {{"job_id", sync_id}, {"dry_run", false}, {"confirm_mode", 0}});
    auto back = ended(scheduled(back_answer));
    CHECK(back_answer.body["data"] == "Scheduled job to restore sim0001");
    CHECK(back_answer.body["config_id"] == history[1]["id"]);
    INFO(back.dump(2));
    REQUIRE(back["status"] == "FINISHED");
    CHECK(back["function_name"] == "apply_config");
    CHECK(back["start_arguments"]["config_id"] == history[1]["id"]);
    CHECK_FALSE(has(sim.config("sim0001"), "KeyStringSecret1"));
    CHECK(devices::config_matches(devices::Platform::frr, sim.config("sim0001"), synced));

    // The restores left no drift behind: a live sync is not refused.
    auto resync =
        ended(scheduled(post("/api/v1.0/device_syncto",
                             {{"hostname", "sim0001"}, {"dry_run", false}, {"resync", true}, {"confirm_mode", 0}})));
    INFO(resync.dump(2));
    CHECK(resync["status"] == "FINISHED");
    CHECK(devices::DeviceStore(*conn).get("sim0001")->synchronized);
}

TEST_CASE_METHOD(RestoreApi, "apply_config and previous_config refuse bad requests naming the field",
                 "[api][restore]") {
    const auto mine = record("sim0001", "hostname sim0001\n");
    const auto theirs = record("sim0002", "hostname sim0002\n");
    const auto mangled = record("sim0001", "hostname sim0001\ndescription caf\xe9\n");
    const std::string path = "/api/v1.0/device/sim0001/apply_config";

    refused(post("/api/v1.0/device/nosuch/apply_config", {{"config_id", mine}}), 404, "device nosuch not found");
    refused(post("/api/v1.0/device/bad_host!/apply_config", {{"config_id", mine}}), 400, "hostname");
    refused(post(path, {{"config_id", theirs}}), 404, "config_id");
    refused(post(path, {{"config_id", 999999}}), 404, "config_id");
    refused(post(path, {{"config_id", mangled}}), 400, "U+FFFD");
    {
        // sim0001 replaced by a box of another vendor under the same name:
        // its records from before are in the other platform's language.
        const auto made_before = record("sim0001", "hostname sim0001\n");
        const std::string was = pqxx::read_transaction(*conn)
                                    .exec1("SELECT platform FROM devices WHERE hostname = 'sim0001'")[0]
                                    .as<std::string>();
        const std::string now = was == "junos" ? "eos" : "junos";
        exec("UPDATE devices SET platform = '" + now + "' WHERE hostname = 'sim0001'");
        refused(post(path, {{"config_id", made_before}}), 400,
                "config " + std::to_string(made_before) + " (field 'config_id') was recorded while sim0001 was a " +
                    was + " device; it is " + now + " now");
        exec("UPDATE devices SET platform = '" + was + "' WHERE hostname = 'sim0001'");
    }
    refused(post(path, json::object()), 400, "config_id");
    for (json bad : {json("1"), json(0), json(-1), json(1.5), json(nullptr)})
        refused(post(path, {{"config_id", bad}}), 400, "config_id");
    refused(post(path, {{"config_id", mine}, {"dry_run", "false"}}), 400, "dry_run");
    refused(post(path, {{"config_id", mine}, {"force", 1}}), 400, "force");
    refused(post(path, {{"config_id", mine}, {"confirm_mode", 2}}), 400, "confirm_mode");
    refused(post(path, {{"config_id", mine}, {"confirm_mode", 9}}), 400, "confirm_mode");
    refused(post(path, {{"config_id", mine}, {"comment", std::string(300, 'x')}}), 400, "comment");
    refused(post(path, {{"full_config", "hostname sim0001\n"}}), 400, "full_config");
    refused(post(path, {{"config_id", mine}, {"hostname", "sim0002"}}), 400, "hostname");
    CHECK(post(path, {{"config_id", mine}}, "read").status == 403);
    exec("UPDATE devices SET state = 'UNMANAGED' WHERE hostname = 'sim0002'");
    refused(post("/api/v1.0/device/sim0002/apply_config", {{"config_id", theirs}}), 400, "not MANAGED");

    const std::string previous = "/api/v1.0/device/sim0001/previous_config";
    refused(post(previous, json::object()), 400, "job_id");
    refused(post(previous, {{"job_id", 1}, {"previous", 0}}), 400, "job_id");
    refused(post(previous, {{"job_id", "1"}}), 400, "job_id");
    refused(post(previous, {{"previous", -1}}), 400, "previous");
    refused(post(previous, {{"before", "yesterday"}}), 400, "before");
    refused(post(previous, {{"job_id", 424242}}), 404, "no config pushed to sim0001");
    refused(post(previous, {{"previous", 0}, {"dry_run", 0}}), 400, "dry_run");
    CHECK(post(previous, {{"previous", 0}}, "read").status == 403);
    CHECK(count("SELECT count(*) FROM jobs") == 0);

    // The job checks the record itself too (it may be scheduled otherwise).
    start();
    auto id = enqueue("apply_config", {{"hostname", "sim0001"}, {"config_id", mangled}});
    auto job = ended(id);
    INFO(job.dump(2));
    CHECK(job["status"] == "FINISHED");
    CHECK(job["result"]["devices"]["sim0001"]["failed"] == true);
    CHECK(has(job["result"]["devices"]["sim0001"]["job_tasks"][0]["result"], "U+FFFD"));
    CHECK_THROWS_WITH(enqueue("apply_config", {{"hostname", "sim0001"}}), Catch::Contains("config_id"));
}

TEST_CASE_METHOD(RestoreApi, "a live apply_config takes its device's lock; a dry run needs none",
                 "[api][restore][locks]") {
    const auto current = record("sim0001", sim.config("sim0001"));
    start();
    auto holder = enqueue("sleep", {{"seconds", 120}, {"lock", "device:sim0001"}});
    REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_locks") == 1; }));
    auto live = ended(scheduled(post("/api/v1.0/device/sim0001/apply_config",
                                     {{"config_id", current}, {"dry_run", false}, {"confirm_mode", 0}})));
    INFO(live.dump(2));
    CHECK(live["status"] == "EXCEPTION");
    CHECK_THAT(live["exception"]["message"].get<std::string>(),
               Catch::Contains("lock 'device:sim0001' is held by job " + std::to_string(holder)));
    auto dry = ended(scheduled(post("/api/v1.0/device/sim0001/apply_config", {{"config_id", current}})));
    CHECK(dry["status"] == "FINISHED");
    CHECK(dry["result"]["devices"]["sim0001"]["job_tasks"][1]["result"] ==
          "runs config " + std::to_string(current) + " already");
    CHECK(dry["result"]["devices"]["sim0001"]["job_tasks"][1]["diff"] == "");
    CHECK(count("SELECT count(*) FROM job_locks") == 1);
    pqxx::work tx(*conn);
    engine::abort_job(tx, holder, "test over", "test");
    tx.commit();
}
