// Issue 10 item 7, CNaaS-NMS parity on confirm, end to end against the
// simulator: a request without confirm_mode gets sync.default_confirm_mode
// (in the job's stored arguments too); confirm_all_or_nothing (mode 2): one
// device failing means every device is rolled back and none confirmed.
#include "devices/config_compare.h"
#include "sync_fixture.h"

#include <map>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

const std::map<std::string, devices::Platform> kPlatforms = {
    {"sim0001", devices::Platform::frr}, {"sim0002", devices::Platform::eos}, {"sim0003", devices::Platform::junos},
    {"sim0004", devices::Platform::frr}, {"sim0005", devices::Platform::eos}, {"sim0006", devices::Platform::junos}};

struct ConfirmFixture : SyncFixture {
    std::map<std::string, std::string> configs() {
        std::map<std::string, std::string> out;
        for (auto& [host, platform] : kPlatforms) out[host] = sim_config(host);
        return out;
    }
    // Every device runs what it ran in `before` (normalised: frr keeps an
    // emptied block, as vtysh does) and has no commit waiting on a timer.
    void all_back_to(const std::map<std::string, std::string>& before) {
        for (auto& [host, platform] : kPlatforms) {
            INFO(host);
            CHECK(devices::config_matches(platform, sim_config(host), before.at(host)));
            CHECK(sim_device(host)["pending_rollback"] == false);
        }
    }
};

}  // namespace

TEST_CASE_METHOD(ConfirmFixture,
                 "confirm_all_or_nothing: one device failing its push rolls every device back, none is confirmed",
                 "[sync][confirm]") {
    // sim0004 (frr) rejects a line of its intended config, as a device
    // rejects a command it does not know.
    refuse_a_line("sim0004");
    auto before = configs();

    auto sync =
        ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 2}, {"confirm_all_or_nothing", true}}));
    INFO(sync.dump(2));
    CHECK(sync["start_arguments"]["confirm_all_or_nothing"] == true);
    // The job failed as a whole, naming the device that failed; no confirm job.
    REQUIRE(sync["status"] == "EXCEPTION");
    CHECK(contains(sync["exception"]["message"], "confirm_all_or_nothing: sim0004 failed"));
    CHECK(sync["next_job_id"].is_null());
    CHECK(count("SELECT count(*) FROM jobs WHERE function_name = 'confirm_devices'") == 0);
    auto& devs = sync["result"]["devices"];
    REQUIRE(devs.size() == 6);
    CHECK(devs["sim0004"]["failed"] == true);
    CHECK(contains(task_result(sync, "sim0004", 0), "description refused-here"));
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0005", "sim0006"}) {
        INFO(host);
        CHECK(devs[host]["failed"] == true);
        CHECK(contains(task_result(sync, host, 0),
                       "committed with a confirm timer, then rolled back to its previous config because sim0004 "
                       "failed (confirm_all_or_nothing)"));
    }
    // Every device back on its old config now, not when its timer runs out.
    all_back_to(before);
    CHECK(count("SELECT count(*) FROM device_pending_commits") == 0);
    // sim0004 too: the sync read it again and found its old config (verified).
    CHECK(contains(task_result(sync, "sim0004", 0), "it still runs its previous config (verified)"));
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE phase = 'restored'") == 6);
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE phase IN ('pushing', 'committed', "
                "'awaiting_confirm')") == 0);
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized") == 0);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);

    // Without the option the devices that committed are confirmed, as before.
    auto partial = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 2}}));
    INFO(partial.dump(2));
    REQUIRE(partial["status"] == "FINISHED");
    CHECK(partial["result"]["devices"]["sim0004"]["failed"] == true);
    REQUIRE(partial["next_job_id"].is_number());
    CHECK(ended(partial["next_job_id"].get<std::int64_t>())["status"] == "FINISHED");
    CHECK(count("SELECT count(*) FROM devices WHERE synchronized") == 5);
}

TEST_CASE_METHOD(ConfirmFixture, "confirm_all_or_nothing: a device failing before the push stops every push",
                 "[sync][confirm]") {
    faults("sim0005", json::array({"refuse_connection"}));
    auto before = configs();
    auto sync =
        ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 2}, {"confirm_all_or_nothing", true}}));
    INFO(sync.dump(2));
    REQUIRE(sync["status"] == "EXCEPTION");
    CHECK(contains(sync["exception"]["message"], "confirm_all_or_nothing: sim0005 failed"));
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0004", "sim0006"}) {
        INFO(host);
        CHECK(sync["result"]["devices"][host]["failed"] == true);
        CHECK(contains(task_result(sync, host, 0), "not pushed: sim0005 failed before the push"));
    }
    faults("sim0005", json::array());
    all_back_to(before);
    CHECK(count("SELECT count(*) FROM device_change_journal") == 0);
}

TEST_CASE_METHOD(ConfirmFixture,
                 "a sync without confirm_mode runs with sync.default_confirm_mode, stored in its arguments",
                 "[sync][confirm]") {
    // The default: CNaaS-NMS's, 1 (commit on a timer, confirm once the device answers again).
    auto dry = ended(schedule({{"hostname", "sim0001"}}));
    CHECK(dry["start_arguments"]["confirm_mode"] == 1);
    auto live = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    CHECK(live["start_arguments"]["confirm_mode"] == 1);
    CHECK(task_result(live, "sim0001") == "committed and confirmed (verified after the confirm)");
    // Enqueued past the API (a schedule's tick, a next job): the same default.
    auto direct = enqueue("sync_devices", {{"hostnames", {"sim0002"}}});
    CHECK(ended(direct)["start_arguments"]["confirm_mode"] == 1);

    // Set to 0: plain commits, and the job says so.
    settings.sync.default_confirm_mode = devices::ConfirmMode::commit;
    ctx->settings.sync.default_confirm_mode = devices::ConfirmMode::commit;
    auto plain = ended(schedule({{"hostname", "sim0002"}, {"dry_run", false}}));
    INFO(plain.dump(2));
    REQUIRE(plain["status"] == "FINISHED");
    CHECK(plain["start_arguments"]["confirm_mode"] == 0);
    CHECK(task_result(plain, "sim0002") == "committed");
    CHECK(ended(enqueue("sync_devices", {{"hostnames", {"sim0003"}}}))["start_arguments"]["confirm_mode"] == 0);
    // A request that names a mode keeps it.
    CHECK(ended(schedule({{"hostname", "sim0003"}, {"confirm_mode", 2}}))["start_arguments"]["confirm_mode"] == 2);
}

TEST_CASE_METHOD(ConfirmFixture, "confirm_all_or_nothing is refused unless confirm_mode is 2", "[sync][confirm]") {
    auto message = [&](const json& body) {
        auto r = syncto(body);
        INFO(body.dump() << " -> " << r->body);
        CHECK(r->status == 400);
        return json::parse(r->body)["message"].get<std::string>();
    };
    CHECK(contains(message({{"all", true}, {"confirm_mode", 0}, {"confirm_all_or_nothing", true}}),
                   "field 'confirm_all_or_nothing' needs confirm_mode 2"));
    CHECK(contains(message({{"all", true}, {"confirm_mode", 1}, {"confirm_all_or_nothing", true}}),
                   "field 'confirm_all_or_nothing' needs confirm_mode 2"));
    // Without confirm_mode: the default (1) is not 2 either, and the answer says where it came from.
    CHECK(contains(message({{"all", true}, {"confirm_all_or_nothing", true}}),
                   "not given, so the server's configured default: confirm_mode 1"));
    CHECK(contains(message({{"all", true}, {"confirm_mode", 7}}), "field 'confirm_mode' is 7, which is not supported"));
    CHECK(contains(message({{"all", true}, {"confirm_mode", "2"}}), "field 'confirm_mode' is not supported"));
    CHECK(contains(message({{"all", true}, {"confirm_mode", 2}, {"confirm_all_or_nothing", "yes"}}),
                   "field 'confirm_all_or_nothing' must be true or false"));
    CHECK(syncto({{"all", true}, {"confirm_mode", 2}, {"confirm_all_or_nothing", false}})->status == 200);
    // A job enqueued past the API (a schedule's tick, a follow-up, a retry)
    // is refused the same way before it exists: no job to end EXCEPTION.
    auto jobs_before = count("SELECT count(*) FROM jobs");
    CHECK_THROWS_WITH(enqueue("sync_devices", {{"all", true}, {"confirm_mode", 0}, {"confirm_all_or_nothing", true}}),
                      Catch::Contains("field 'confirm_all_or_nothing' needs confirm_mode 2"));
    CHECK(count("SELECT count(*) FROM jobs") == jobs_before);
}
