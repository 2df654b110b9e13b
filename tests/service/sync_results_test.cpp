// A sync's result by reference (issue 16): the stored result names each
// device's generated config (and a diff over sync.result_diff_max_bytes) by
// id; GET /job/<id> puts them back in CNaaS-NMS's shape, GET /jobs does not;
// a finished device's configs are written while the job still runs.
#include "sync_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct ResultsFixture : SyncFixture {
    json job_by_id(std::int64_t id, const std::string& query = "") {
        return api_get("/job/" + std::to_string(id) + query)["jobs"][0];
    }
    json job_in_list(std::int64_t id) {
        auto jobs = api_get("/jobs?filter[id]=" + std::to_string(id))["jobs"];
        REQUIRE(jobs.size() == 1);
        return jobs[0];
    }
};

json task(const json& job, const std::string& host, const std::string& name) {
    for (auto& t : job["result"]["devices"][host]["job_tasks"])
        if (t["task_name"] == name) return t;
    return nullptr;
}

}  // namespace

TEST_CASE_METHOD(ResultsFixture, "a dry run's result names its generated configs; GET /job/<id> inlines them",
                 "[sync][results]") {
    auto id = schedule({{"all", true}});
    REQUIRE(ended(id)["status"] == "FINISHED");
    auto stored = job(id);  // the row as PostgreSQL holds it
    auto shown = job_by_id(id);
    auto listed = job_in_list(id);
    const std::string row = stored["result"].dump();
    REQUIRE(stored["result"]["devices"].size() == 6);
    for (auto& [host, d] : stored["result"]["devices"].items()) {
        INFO(host);
        auto generated = task(stored, host, "Generate device config");
        CHECK(generated["result"].is_null());
        REQUIRE(generated["config_id"].is_number_integer());
        // GET /job/<id>: the config in place, as before.
        auto config = task(shown, host, "Generate device config")["result"];
        REQUIRE(config.is_string());
        CHECK(contains(config, host));
        CHECK(config.get<std::string>().size() > 100);
        CHECK_FALSE(contains(row, config.get<std::string>()));
        // GET /jobs: the reference only.
        CHECK(task(listed, host, "Generate device config")["result"].is_null());
        CHECK(task(listed, host, "Generate device config")["config_id"] == generated["config_id"]);
        // The diff is small: kept in the row, whole.
        CHECK(task(stored, host, "Sync device config")["diff"] == task(shown, host, "Sync device config")["diff"]);
        CHECK_FALSE(task(stored, host, "Sync device config").contains("diff_id"));
    }
    // filter_jobresult still removes it.
    auto slim = job_by_id(id, "?filter_jobresult=config");
    CHECK(task(slim, "sim0001", "Generate device config").is_null());
    CHECK(task(slim, "sim0001", "Sync device config").is_object());
    // The ids are this job's: another job's id is not shown.
    CHECK(count("SELECT count(*) FROM job_device_texts WHERE kind = 'generated' AND job_id = " + std::to_string(id)) ==
          6);
    // Generated configs are not config history: a device's history holds what it ran.
    CHECK(count("SELECT count(*) FROM device_config_history WHERE source NOT IN ('read', 'pushed')") == 0);
}

TEST_CASE_METHOD(ResultsFixture,
                 "a diff over sync.result_diff_max_bytes is cut in the row, whole through GET /job/<id>",
                 "[sync][results]") {
    settings.sync.result_diff_max_bytes = 40;
    auto id = schedule({{"hostname", "sim0002"}});
    REQUIRE(ended(id)["status"] == "FINISHED");
    auto stored = task(job(id), "sim0002", "Sync device config");
    INFO(stored.dump(2));
    REQUIRE(stored["diff_id"].is_number_integer());
    auto whole = task(job_by_id(id), "sim0002", "Sync device config")["diff"].get<std::string>();
    CHECK(contains(whole, "+ntp server 192.0.2.123"));
    // Its size as generated (secrets are masked where it leaves: shorter here).
    CHECK(stored["diff_bytes"].get<std::size_t>() >= whole.size());
    auto cut = stored["diff"].get<std::string>();
    CHECK(contains(cut, "cut to its first"));
    CHECK(cut.size() < whole.size());
    // The first lines of the whole diff, then the line saying so.
    CHECK(whole.rfind(cut.substr(0, cut.find("[..."))) == 0);
    CHECK(task(job_in_list(id), "sim0002", "Sync device config")["diff"] == cut);
}

TEST_CASE_METHOD(ResultsFixture,
                 "a job's result keeps diffs whole up to sync.result_diffs_max_bytes in all; past it they are cut",
                 "[sync][results]") {
    // Every device's diff, whole, with the default limits.
    auto first = schedule({{"all", true}});
    auto all_whole = ended(first);
    REQUIRE(all_whole["status"] == "FINISHED");
    auto all_shown = job_by_id(first);
    std::size_t largest = 0, changed = 0;
    for (auto& [host, d] : all_whole["result"]["devices"].items()) {
        auto t = task(all_whole, host, "Sync device config");
        CHECK_FALSE(t.contains("diff_id"));
        auto n = t["diff"].get<std::string>().size();
        largest = std::max(largest, n);
        if (n) ++changed;
    }
    REQUIRE(changed >= 2);

    // Room for the largest one only: whoever is done first keeps its diff
    // whole, the rest are cut (the sum of two is over it) and come whole
    // through GET /job/<id>.
    settings.sync.result_diffs_max_bytes = static_cast<int>(largest);
    auto id = schedule({{"all", true}});
    auto stored = ended(id);
    REQUIRE(stored["status"] == "FINISHED");
    auto shown = job_by_id(id);
    std::size_t whole = 0, cut = 0, inline_bytes = 0;
    for (auto& [host, d] : stored["result"]["devices"].items()) {
        INFO(host);
        auto t = task(stored, host, "Sync device config");
        auto diff = t["diff"].get<std::string>();
        if (t.contains("diff_id")) {
            ++cut;
            CHECK(contains(diff, "(this job's result holds sync.result_diffs_max_bytes of diffs already)"));
            auto full = task(shown, host, "Sync device config")["diff"].get<std::string>();
            CHECK(full == task(all_shown, host, "Sync device config")["diff"].get<std::string>());
        } else if (!diff.empty()) {
            ++whole;
            inline_bytes += diff.size();
        }
    }
    CHECK(whole >= 1);
    CHECK(cut >= 1);
    CHECK(inline_bytes <= largest);
}

TEST_CASE_METHOD(ResultsFixture, "a finished device's configs are written while the job still runs",
                 "[sync][results]") {
    // sim0001 never answers its commands: the job runs until its command
    // times out, long after the other devices are done.
    settings.ssh.command_timeout_seconds = Seconds(20);
    sim_ctl({{"op", "faults"}, {"host", "sim0001"}, {"faults", {{"hang_commands", true}}}});
    auto id = schedule({{"all", true}});
    auto sid = std::to_string(id);
    auto written = [&] {
        return count("SELECT count(*) FROM device_config_history WHERE source = 'read' AND job_id = " + sid) >= 1 &&
               count("SELECT count(*) FROM job_device_texts WHERE job_id = " + sid) >= 1;
    };
    REQUIRE(wait_for(written, 15s));
    CHECK(status(id) == "RUNNING");
    auto done = ended(id);
    REQUIRE(done["status"] == "FINISHED");
    CHECK(done["result"]["devices"]["sim0001"]["failed"] == true);
    CHECK(count("SELECT count(*) FROM device_config_history WHERE source = 'read' AND job_id = " + sid) == 5);
    for (auto host : {"sim0002", "sim0003", "sim0004", "sim0005", "sim0006"})
        CHECK(task(done, host, "Generate device config")["config_id"].is_number_integer());
}

// A cut diff's first lines are not held for the job's end (about a kilobyte
// a device, for the whole fleet): once the whole diff is stored they leave
// memory, and the result's are made again from it when the result is
// written. Shown by changing the stored diffs while the job still runs: the
// first lines in the result follow the stored text, not the one read.
TEST_CASE_METHOD(ResultsFixture,
                 "a cut diff's first lines are made again from its stored diff when the result is written",
                 "[sync][results]") {
    settings.sync.result_diff_max_bytes = 40;
    settings.ssh.command_timeout_seconds = Seconds(20);
    sim_ctl({{"op", "faults"}, {"host", "sim0001"}, {"faults", {{"hang_commands", true}}}});
    auto id = schedule({{"all", true}});
    auto sid = std::to_string(id);
    const std::string stored_diffs = "FROM job_device_texts WHERE kind = 'diff' AND job_id = " + sid;
    REQUIRE(wait_for([&] { return count("SELECT count(*) " + stored_diffs) >= 1; }, 15s));
    exec(
        "UPDATE device_config_texts SET config = '--- changed while the job ran\n' || config "
        "WHERE sha256 IN (SELECT text_sha256 " +
        stored_diffs + ")");
    REQUIRE(status(id) == "RUNNING");
    auto done = ended(id);
    REQUIRE(done["status"] == "FINISHED");
    auto shown = job_by_id(id);
    int changed = 0;
    for (auto host : {"sim0002", "sim0003", "sim0004", "sim0005", "sim0006"}) {
        INFO(host);
        auto stored = task(done, host, "Sync device config");
        REQUIRE(stored["diff_id"].is_number_integer());
        auto cut = stored["diff"].get<std::string>();
        auto head = cut.substr(0, cut.find("[..."));
        auto whole = task(shown, host, "Sync device config")["diff"].get<std::string>();
        CHECK_FALSE(head.empty());
        CHECK(whole.rfind(head, 0) == 0);
        if (head.rfind("--- changed while the job ran\n", 0) == 0) ++changed;
    }
    CHECK(changed >= 1);
}
