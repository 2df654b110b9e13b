// Issue 9, items 1 and 4, end to end: the API, the engine, real PostgreSQL
// and the device simulator. Devices that send bytes that are not UTF-8 (in
// configs and in the errors they echo), a 400,000-character line or output
// that never ends; a settings value that would inject a config line. Each
// time the job ends, the device fails alone or succeeds with its bytes
// replaced, the other devices go on, and later jobs run.
// (Item 3, secrets, is secret_exits_test.cpp.)
#include "devices/defaults.h"
#include "hostile_fixture.h"
#include "tasks/sync_texts.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE_METHOD(
    HostileFixture,
    "devices sending Latin-1 bytes: jobs finish, their bytes replaced in results, history and pending commits",
    "[hostile][utf8]") {
    // eos reads its config in a shell, junos through an exec channel.
    set_config("sim0002", insert_after(canonical("sim0002"), "interface Ethernet1\n", "   description Gr\xC3\xBCn\n"));
    set_config("sim0003", insert_after(canonical("sim0003"), "    lo0 {\n", "        description \"Gr\xC3\xBCn\";\n"));
    faults("sim0002", {{"latin1_output", true}});
    faults("sim0003", {{"latin1_output", true}});

    auto dry = ended(schedule({{"all", true}}));
    INFO(dry.dump(2));
    REQUIRE(dry["status"] == "FINISHED");
    for (auto& [host, d] : dry["result"]["devices"].items()) CHECK(d["failed"] == false);
    CHECK(contains(diff_of(dry, "sim0002"), "description " + kReplaced));
    CHECK(contains(diff_of(dry, "sim0003"), "description \"" + kReplaced + "\";"));
    CHECK(contains(newest_history_config("sim0002"), "description " + kReplaced));
    CHECK(contains(newest_history_config("sim0003"), "description \"" + kReplaced + "\";"));

    // A live run with confirm mode 2: the pending commits (the configs
    // before, as read) are stored and confirmed by the next job.
    auto live = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 2}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    for (auto& [host, d] : live["result"]["devices"].items()) CHECK(d["failed"] == false);
    REQUIRE(live["next_job_id"].is_number());
    auto confirm = ended(live["next_job_id"].get<std::int64_t>());
    INFO(confirm.dump(2));
    CHECK(confirm["status"] == "FINISHED");
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture, "a device echoing a rejected line in Latin-1: it fails alone with a valid UTF-8 error",
                 "[hostile][utf8]") {
    // FRR echoes the line it rejects ("% Unknown command: ..."); this one
    // echoes it in ISO-8859-1.
    const std::string settings_dir = own_settings();
    std::ofstream(settings_dir + "/devices/sim0001.yml")
        << "interfaces:\n  - name: eth1\n    description: \"Gr\xC3\xBCn\"\n";
    faults("sim0001", {{"latin1_output", true}, {"command_error", {"description Gr\xC3\xBCn"}}});

    auto live = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}}));
    const std::string message = failed_alone(live, "sim0001");
    CHECK(devices::is_valid_utf8(message));
    CHECK(contains(message, "rejected 'description Gr\xC3\xBCn' (line "));  // its place in the change set
    CHECK(contains(message, "Unknown command: description " + kReplaced));
    // The API shows the stored result, with the generated configs it names put back.
    auto shown = api_job(live["id"].get<std::int64_t>())["result"];
    CHECK(devices::is_valid_utf8(shown["devices"]["sim0001"]["job_tasks"][1]["result"].get<std::string>()));
    for (auto& [host, d] : shown["devices"].items()) d["job_tasks"][1]["result"] = nullptr;
    CHECK(shown == live["result"]);
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture,
                 "a config line of 400,000 characters: the dry run finishes with it in diff and history",
                 "[hostile][huge]") {
    // One in the config itself (an interface description), and one more
    // that the device prints after every output (the huge_line fault).
    const std::string description(400000, 'd');
    set_config("sim0001", insert_after(canonical("sim0001"), "interface lo\n", " description " + description + "\n"));
    faults("sim0001", {{"huge_line", 400000}});
    auto dry = ended(schedule({{"all", true}}));
    REQUIRE(dry["status"] == "FINISHED");
    for (auto& [host, d] : dry["result"]["devices"].items()) {
        INFO(host << ": " << d["job_tasks"][2]["result"]);
        CHECK(d["failed"] == false);
    }
    // The result's row holds the diff's first lines, at most
    // kDiffSummaryMaxBytes of them; GET /job/<id> shows it whole.
    const std::string cut = diff_of(dry, "sim0001");
    CHECK(contains(cut, "cut to its first"));
    CHECK(cut.size() < devices::defaults::kDiffSummaryMaxBytes + 1024);
    const auto shown = api_job(dry["id"].get<std::int64_t>())["result"]["devices"]["sim0001"];
    const std::string whole = shown["job_tasks"][2]["diff"].get<std::string>();
    CHECK(contains(whole, "description " + description));
    // Its first lines were made again from the stored diff: the first read
    // (4,096 characters) holds none of this head's 20 lines' end, so it was
    // read again to 64 KiB, as tasks::diff_head cuts the whole diff.
    std::string head = tasks::diff_head(whole);
    if (head.back() != '\n') head += '\n';
    CHECK(head.size() > 4 * tasks::SyncTexts::kDiffHeadFirstReadChars);
    CHECK(cut.substr(0, cut.find("[... a diff of")) == head);
    const std::string history = newest_history_config("sim0001");
    CHECK(contains(history, "description " + description));
    CHECK(contains(history, std::string(400000, 'x')));
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture, "a device that never stops sending fails alone; the job and later jobs end",
                 "[hostile][endless]") {
    // The output limit (ssh.max_output_mib) ends it long before the command
    // deadline could; tests/devices/sim_hostile_test.cpp holds the deadline.
    settings.ssh.max_output_mib = 4;
    faults("sim0006", {{"endless_output", 100}});
    auto dry = ended(schedule({{"all", true}}));
    CHECK(contains(failed_alone(dry, "sim0006"), "printed more than 4194304 bytes"));
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture,
                 "a settings value with a newline is a per-device template error; nothing reaches the device",
                 "[hostile][injection]") {
    const std::string settings_dir = own_settings();
    std::ofstream(settings_dir + "/devices/sim0001.yml")
        << "interfaces:\n  - name: eth1\n    description: \"uplink\\nip route 0.0.0.0/0 Null0\"\n";

    auto live = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}}));
    const std::string message = failed_alone(live, "sim0001");
    CHECK(contains(message, "setting 'interfaces[0].description'"));
    CHECK(contains(message, settings_dir + "/devices/sim0001.yml line 3"));
    CHECK(contains(message, "line feed"));
    CHECK_FALSE(contains(sim_config("sim0001"), "ip route 0.0.0.0/0 Null0"));
    another_job_runs();
}

TEST_CASE_METHOD(
    HostileFixture,
    "a backup of a device sending Latin-1 and a 400,000-character line: stored valid, unchanged the next time",
    "[hostile][backup]") {
    set_config("sim0001", insert_after(canonical("sim0001"), "interface lo\n", " description Gr\xC3\xBCn\n"));
    faults("sim0001", {{"latin1_output", true}, {"huge_line", 400000}});
    auto backup = [&] {
        auto j = ended(scheduled_job(post("/device_backup", {{"hostname", "sim0001"}}), "Scheduled job to back up"));
        INFO(j.dump(2));
        REQUIRE(j["status"] == "FINISHED");
        return j["result"]["devices"]["sim0001"];
    };
    auto first = backup();
    CHECK(first["backup"] == "stored");
    const std::string history = newest_history_config("sim0001");
    CHECK(contains(history, "description " + kReplaced));
    CHECK(contains(history, std::string(400000, 'x')));
    // The same hostile bytes again are the same config.
    auto second = backup();
    CHECK(second["backup"] == "unchanged");
    CHECK(second["config_id"] == first["config_id"]);
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture, "a backup of a device that never stops sending: it fails alone, nothing stored for it",
                 "[hostile][backup][endless]") {
    settings.ssh.max_output_mib = 4;
    faults("sim0006", {{"endless_output", 100}});
    auto j = ended(scheduled_job(post("/device_backup", {{"all", true}}), "Scheduled job to back up"));
    CHECK(contains(failed_alone(j, "sim0006"), "printed more than 4194304 bytes"));
    CHECK(j["result"]["devices"]["sim0006"]["backup"] == "failed");
    CHECK(count("SELECT count(*) FROM device_config_history WHERE hostname = 'sim0006'") == 0);
    CHECK(count("SELECT count(*) FROM device_config_history") == 5);
    another_job_runs();
}
