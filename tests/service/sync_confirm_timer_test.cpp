// Issue 10 item 3, durable commit-confirm for frr, end to end against the
// simulator: frr has no rollback timer of its own, so a live sync with
// confirm_mode 1 or 2 schedules a roll_back_unconfirmed job at the confirm
// deadline before it commits, and the confirm cancels it. A confirm that
// never reaches the device leaves the rollback to that job, which runs at
// the deadline in whichever process claims it; a confirm that comes after
// the job took the change does not confirm.
#include "devices/config_compare.h"
#include "sync_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct TimerFixture : SyncFixture {
    // The roll_back_unconfirmed job sync `sync_id` scheduled for `host`
    // (its idempotency key), 0 when there is none.
    std::int64_t timer_job(std::int64_t sync_id, const std::string& host) {
        pqxx::read_transaction tx(*conn);
        auto r = tx.exec_params("SELECT id FROM jobs WHERE idempotency_key = $1",
                                "confirm-timer:" + std::to_string(sync_id) + ":" + host);
        return r.empty() ? 0 : r[0][0].as<std::int64_t>();
    }
    // The phase of the change `sync_id` made on `host`, and the job that answers for it.
    std::pair<std::string, std::int64_t> change(std::int64_t sync_id, const std::string& host) {
        pqxx::read_transaction tx(*conn);
        auto row = tx.exec_params1(
            "SELECT phase, job_id FROM device_change_journal WHERE sync_job_id = $1 AND "
            "hostname = $2 ORDER BY id DESC LIMIT 1",
            sync_id, host);
        return {row[0].as<std::string>(), row[1].as<std::int64_t>()};
    }
    std::string intended(std::int64_t sync_id, const std::string& host) {
        pqxx::read_transaction tx(*conn);
        return tx
            .exec_params1("SELECT intended FROM device_change_journal WHERE sync_job_id = $1 AND hostname = $2",
                          sync_id, host)[0]
            .as<std::string>();
    }
    std::string scheduled_time(std::int64_t id) { return job(id)["scheduled_time"].get<std::string>(); }

    // `job`, of kind `kind`, ended FINISHED having put back sim0001's config
    // from `before` the sync (the caller gives INFO(job)).
    void check_restored(const json& job, const std::string& kind, const std::string& before) {
        REQUIRE(job["status"] == "FINISHED");
        CHECK(job["function_name"] == kind);
        CHECK(job["result"]["devices"]["sim0001"]["outcome"] == "restored");
        CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), before));
    }

    // The timer job `timer_id` was cancelled (ABORTED) by job `by`, of kind `kind`, that settled its change.
    void check_cancelled_by(std::int64_t timer_id, std::int64_t by, const std::string& kind) {
        auto timer = job(timer_id);
        INFO(timer.dump(2));
        CHECK(timer["status"] == "ABORTED");
        CHECK(contains(timer["result"]["message"], "settled by job " + std::to_string(by) + " (" + kind + ")"));
    }
    struct Unconfirmed {
        std::string before;     // sim0001's config before the sync
        std::int64_t id;        // the sync's
        std::int64_t timer_id;  // its roll_back_unconfirmed job's
    };
    // A confirm_mode 2 sync of sim0001 (frr) whose confirm job cannot reach
    // the device: the change locks new sessions out until the test lets
    // them in again (once the confirm job has ended). Its confirm timer is
    // long enough for the sync and its confirm job to end first on a loaded
    // machine (checked here), short enough to wait for.
    Unconfirmed mode_2_sync_left_unconfirmed() {
        settings.sync.confirm_timer_seconds = Seconds(15);
        const auto before = sim_config("sim0001");
        faults("sim0001", json::array({"lockout_on_change"}));
        auto sync = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"confirm_mode", 2}}));
        INFO(sync.dump(2));
        REQUIRE(sync["status"] == "FINISHED");
        const std::int64_t id = sync["id"];
        const auto timer = timer_job(id, "sim0001");
        REQUIRE(timer != 0);
        CHECK(contains(task_result(sync, "sim0001"), "job " + std::to_string(timer) + ", roll_back_unconfirmed"));
        REQUIRE(sync["next_job_id"].is_number());
        auto confirm = ended(sync["next_job_id"].get<std::int64_t>());
        INFO(confirm.dump(2));
        auto& d = confirm["result"]["devices"]["sim0001"];
        CHECK(d["failed"] == true);
        CHECK(contains(d["job_tasks"][0]["result"], "its confirm timer job (job " + std::to_string(timer) +
                                                        ", roll_back_unconfirmed) rolls it back at the deadline"));
        // Not confirmed, not rolled back: the device runs the change, and
        // its entry waits, armed, for the timer (the deadline is ahead).
        CHECK_FALSE(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), before));
        REQUIRE(status(timer) == "SCHEDULED");
        CHECK(change(id, "sim0001").first == "awaiting_confirm");
        faults("sim0001", json::array());
        return {before, id, timer};
    }
    // A forced live sync of sim0001, stuck reading it (it never answers
    // until the command times out, 25 s): it holds the device's lock past
    // the confirm deadline. Returns its id once it holds the lock.
    std::int64_t stuck_sync_holding_the_device() {
        settings.ssh.command_timeout_seconds = Seconds(25);
        faults("sim0001", {{"hang_commands", true}});
        const auto other = schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"force", true}});
        REQUIRE(wait_for(
            [&] {
                return count("SELECT count(*) FROM job_locks WHERE name = 'device:sim0001' AND job_id = " +
                             std::to_string(other)) == 1;
            },
            15s));
        return other;
    }
};

}  // namespace

TEST_CASE_METHOD(TimerFixture,
                 "confirm_mode 2 on frr: a confirm that never reaches the device is rolled back at the deadline by the "
                 "confirm timer job",
                 "[sync][confirm][confirm_timer]") {
    const auto [before, id, timer_id] = mode_2_sync_left_unconfirmed();

    // Meanwhile the device is in the middle of that change: a live sync,
    // even a forced one, does not push over it (its lock is free now).
    auto over = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"force", true}}));
    INFO(over.dump(2));
    CHECK(over["status"] == "EXCEPTION");
    CHECK(contains(over["exception"]["message"], "devices are in the middle of another job's change: sim0001"));
    CHECK(contains(over["exception"]["message"],
                   "its confirm timer job " + std::to_string(timer_id) + " rolls it back at the deadline"));
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE sync_job_id = " +
                std::to_string(over["id"].get<std::int64_t>())) == 0);

    auto timer = ended(timer_id);
    INFO(timer.dump(2));
    // The device runs its old config again.
    check_restored(timer, "roll_back_unconfirmed", before);
    CHECK(timer["start_arguments"]["sync_job_id"] == id);
    auto& d = timer["result"]["devices"]["sim0001"];
    CHECK(d["failed"] == false);
    CHECK(contains(d["job_tasks"][0]["result"], "the commit of job " + std::to_string(id) +
                                                    " was not confirmed by its deadline: rolled back to the config "
                                                    "it ran before (verified)"));
    // Saved; the journal says so, and the device is unsynchronized with the
    // reason CNaaS-NMS gives.
    CHECK(change(id, "sim0001") == std::pair<std::string, std::int64_t>{"restored", timer_id});
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
    CHECK(count("SELECT count(*) FROM device_pending_commits") == 0);
    CHECK(count("SELECT count(*) FROM devices WHERE hostname = 'sim0001' AND NOT synchronized") == 1);
    CHECK(count("SELECT count(*) FROM device_sync_events WHERE hostname = 'sim0001' AND cause = "
                "'commit_confirm_failed' AND job_id = " +
                std::to_string(timer_id)) == 1);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}

TEST_CASE_METHOD(TimerFixture,
                 "the confirm timer job waits, by a retry, for the device's lock when a job other than the sync or its "
                 "confirm holds it",
                 "[sync][confirm][confirm_timer]") {
    const auto [before, id, timer_id] = mode_2_sync_left_unconfirmed();

    // Another job holds the device's lock past the deadline: a live sync
    // stuck reading the device, which never answers until its command
    // times out.
    const auto other = stuck_sync_holding_the_device();
    REQUIRE(wait_for([&] { return job(timer_id)["errors"].size() >= 1; }, 40s));
    auto error = job(timer_id)["errors"][0]["message"].get<std::string>();
    INFO(error);
    CHECK(contains(error, "the device's lock is held by a job other than the sync or its confirm"));
    CHECK(contains(error, "held by job " + std::to_string(other)));
    // It took nothing meanwhile: the change still waits, unconfirmed.
    CHECK(change(id, "sim0001").first == "awaiting_confirm");

    faults("sim0001", json::array());
    ended(other);
    auto timer = ended(timer_id);
    INFO(timer.dump(2));
    check_restored(timer, "roll_back_unconfirmed", before);
    CHECK(change(id, "sim0001") == std::pair<std::string, std::int64_t>{"restored", timer_id});
}

TEST_CASE_METHOD(TimerFixture,
                 "a confirm timer job whose attempts run out while another job holds the device hands its change to a "
                 "recovery, which rolls it back even with sync.on_interrupted complete",
                 "[sync][confirm][confirm_timer][recovery]") {
    const auto [before, id, timer_id] = mode_2_sync_left_unconfirmed();
    settings.sync.on_interrupted = devices::RecoveryTarget::complete;
    // One attempt: the first busy lock is the last.
    exec("UPDATE jobs SET max_attempts = 1 WHERE id = " + std::to_string(timer_id));

    const auto other = stuck_sync_holding_the_device();
    auto timer = ended(timer_id);
    INFO(timer.dump(2));
    REQUIRE(timer["status"] == "EXCEPTION");
    CHECK(contains(timer["exception"]["message"], "held by job " + std::to_string(other)));
    // Ended, it took nothing: the recovery scheduled as it ended has the
    // change, not the sync or its confirm job.
    REQUIRE(timer["next_job_id"].is_number());
    std::int64_t recovery_id = timer["next_job_id"];
    CHECK(timer["result"]["recovery_job_id"] == recovery_id);

    faults("sim0001", json::array());
    ended(other);
    // The recovery waits for the lock by retrying; should it run out of
    // attempts too, a recovery of it takes over: follow them.
    auto recovery = ended(recovery_id);
    for (int hops = 0; recovery["status"] == "EXCEPTION" && recovery["next_job_id"].is_number() && hops < 5; ++hops)
        recovery = ended(recovery_id = recovery["next_job_id"].get<std::int64_t>());
    INFO(recovery.dump(2));
    check_restored(recovery, "recover_devices", before);
    CHECK(contains(recovery["result"]["devices"]["sim0001"]["job_tasks"][0]["result"],
                   "the commit of job " + std::to_string(id) +
                       " was not confirmed by its deadline, so it is rolled back, not completed"));
    CHECK(change(id, "sim0001") == std::pair<std::string, std::int64_t>{"restored", recovery_id});
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
    // Nothing stands in the way of the next sync.
    auto next = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}}));
    INFO(next.dump(2));
    CHECK(next["status"] == "FINISHED");
}

TEST_CASE_METHOD(TimerFixture,
                 "aborting a confirm timer job before it runs hands its change to a recovery, which rolls it back",
                 "[sync][confirm][confirm_timer][recovery]") {
    const auto [before, id, timer_id] = mode_2_sync_left_unconfirmed();
    auto r = client->Put(("/api/v1.0/job/" + std::to_string(timer_id)).c_str(),
                         {{"Authorization", "Bearer " + token(api::Role::operator_)}},
                         json{{"action", "abort"}, {"abort_reason", "change window"}}.dump(), "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    auto timer = job(timer_id);
    INFO(timer.dump(2));
    CHECK(timer["status"] == "ABORTED");
    REQUIRE(timer["next_job_id"].is_number());
    auto recovery = ended(timer["next_job_id"].get<std::int64_t>());
    INFO(recovery.dump(2));
    check_restored(recovery, "recover_devices", before);
    CHECK(change(id, "sim0001").first == "restored");
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
}

TEST_CASE_METHOD(TimerFixture, "a confirm that comes after the confirm timer job took the change does not confirm",
                 "[sync][confirm][confirm_timer]") {
    const auto [before, id, timer_id] = mode_2_sync_left_unconfirmed();
    REQUIRE(ended(timer_id)["status"] == "FINISHED");
    REQUIRE(change(id, "sim0001").first == "restored");

    // The confirm comes late (run again by hand, as a retry of the confirm
    // job would be): it must not confirm, and says who rolled the change back.
    auto late = ended(enqueue("confirm_devices", {{"hostnames", {"sim0001"}}, {"sync_job_id", id}}));
    INFO(late.dump(2));
    auto& d = late["result"]["devices"]["sim0001"];
    CHECK(d["failed"] == true);
    CHECK(contains(d["job_tasks"][0]["result"], "not confirmed: the confirm timer job (job " +
                                                    std::to_string(timer_id) +
                                                    ", roll_back_unconfirmed) took the change at its deadline and "
                                                    "rolled it back"));
    CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), before));
    CHECK(change(id, "sim0001") == std::pair<std::string, std::int64_t>{"restored", timer_id});
    CHECK(count("SELECT count(*) FROM devices WHERE hostname = 'sim0001' AND NOT synchronized") == 1);
}

TEST_CASE_METHOD(TimerFixture, "confirm_mode 2: the confirm cancels the confirm timer job, and only frr gets one",
                 "[sync][confirm][confirm_timer]") {
    auto sync = ended(
        enqueue("sync_devices", {{"hostnames", {"sim0001", "sim0002"}}, {"dry_run", false}, {"confirm_mode", 2}}));
    INFO(sync.dump(2));
    REQUIRE(sync["status"] == "FINISHED");
    const std::int64_t id = sync["id"];
    const auto timer_id = timer_job(id, "sim0001");
    REQUIRE(timer_id != 0);
    // eos enforces its own timer: no job for it.
    CHECK(timer_job(id, "sim0002") == 0);
    auto timer = job(timer_id);
    CHECK(timer["function_name"] == "roll_back_unconfirmed");
    CHECK(timer["start_arguments"]["hostname"] == "sim0001");
    CHECK(timer["scheduled_by"] == sync["scheduled_by"]);

    REQUIRE(sync["next_job_id"].is_number());
    const std::int64_t confirm_id = sync["next_job_id"];
    auto confirm = ended(confirm_id);
    INFO(confirm.dump(2));
    REQUIRE(confirm["status"] == "FINISHED");
    CHECK(confirm["result"]["devices"]["sim0001"]["failed"] == false);
    // Cancelled in the confirm's transaction: ABORTED, naming the confirm job.
    check_cancelled_by(timer_id, confirm_id, "confirm_devices");
    // The device keeps the new config.
    CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), intended(id, "sim0001")));
    CHECK(change(id, "sim0001") == std::pair<std::string, std::int64_t>{"verified", confirm_id});
    CHECK(count("SELECT count(*) FROM devices WHERE hostname = 'sim0001' AND synchronized") == 1);
}

TEST_CASE_METHOD(TimerFixture, "confirm_mode 1 on frr: the confirm cancels the confirm timer job and is verified after",
                 "[sync][confirm][confirm_timer]") {
    auto sync = ended(schedule({{"hostname", "sim0001"}, {"dry_run", false}, {"confirm_mode", 1}}));
    INFO(sync.dump(2));
    REQUIRE(sync["status"] == "FINISHED");
    const std::int64_t id = sync["id"];
    CHECK(task_result(sync, "sim0001") == "committed and confirmed (verified after the confirm)");
    const auto timer_id = timer_job(id, "sim0001");
    REQUIRE(timer_id != 0);
    check_cancelled_by(timer_id, id, "sync_devices");
    CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), intended(id, "sim0001")));
    CHECK(change(id, "sim0001") == std::pair<std::string, std::int64_t>{"verified", id});
    CHECK(count("SELECT count(*) FROM devices WHERE hostname = 'sim0001' AND synchronized") == 1);
}
