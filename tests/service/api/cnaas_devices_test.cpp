// CNaaS-NMS's device config routes and sync history as its front end calls
// them (cnaas-front src/components/DeviceList/actionModals/ShowConfigModal.js:
// running_config, generate_config, previous_config?previous=N; ConfigChange
// utils.js: device_synchistory), against a real PostgreSQL and the device
// simulator.
#include <fstream>
#include "cnaas_fixture.h"
#include "devices/secret_masker.h"
#include "devices/sync_history.h"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

struct DevicesApi : CnaasApi {
    SimulatedDevices sim{url, settings, 1};  // sim0001 (frr)
    DevicesApi() { start_api(); }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE_METHOD(DevicesApi, "generate_config: the rendered config and the variables it saw, secrets masked",
                 "[api][devices][cnaas]") {
    auto data = ok(get("/api/v1.0/device/sim0001/generate_config"));
    // ShowConfigModal.js reads data.config.generated_config.
    auto& config = data["config"];
    CHECK(config["hostname"] == "sim0001");
    REQUIRE(config["generated_config"].is_string());
    CHECK(has(config["generated_config"], "sim0001"));
    auto& vars = config["available_variables"];
    CHECK(vars["host"] == "sim0001");  // as CNaaS-NMS adds it (device.py)
    CHECK(vars["domain_name"] == "example.net");
    // The bundled settings' secrets: a community and users' hashes.
    CHECK(vars["snmp"]["community"] == std::string(devices::kSecretMask));
    CHECK(vars["users"][0]["secret"] == std::string(devices::kSecretMask));
    CHECK(vars["users"][0]["name"] == "admin");
    CHECK_FALSE(has(data.dump(), "example-ro-community"));
    CHECK_FALSE(has(data.dump(), "FAKE.HASH"));

    CHECK(get("/api/v1.0/device/nosuch/generate_config").status == 404);
    CHECK(get("/api/v1.0/device/bad_host!/generate_config").status == 400);
    CHECK(get("/api/v1.0/device/sim0001/generate_config?x=1").status == 400);
    // A template that cannot render this device: the template's fault, named.
    std::filesystem::create_directories(sim.dir + "/broken");
    std::ofstream(sim.dir + "/broken/global.yml") << "snmp: [unclosed\n";
    ctx->settings.sync.settings_dir = sim.dir + "/broken";
    auto broken = get("/api/v1.0/device/sim0001/generate_config");
    CHECK(broken.status == 422);
    CHECK(has(broken.body["message"], "cannot generate the config of sim0001"));
}

TEST_CASE_METHOD(DevicesApi, "running_config and previous_config as the front end reads them",
                 "[api][devices][cnaas]") {
    auto running = ok(get("/api/v1.0/device/sim0001/running_config"));
    REQUIRE(running["config"].is_string());
    CHECK(running["config"] == devices::safe_text(sim.config("sim0001")));
    CHECK(get("/api/v1.0/device/nosuch/running_config").status == 404);
    CHECK(get("/api/v1.0/device/sim0001/running_config?interface=eth0").status == 400);

    // Nothing pushed yet.
    CHECK(get("/api/v1.0/device/sim0001/previous_config?previous=0").status == 404);

    // A live sync pushes the intended config; previous_config finds it.
    start();
    auto pushed = post("/api/v1.0/device_syncto",
                       {{"hostname", "sim0001"}, {"dry_run", false}, {"resync", true}, {"confirm_mode", 0}});
    REQUIRE(pushed.status == 200);
    auto job_id = pushed.body["job_id"].get<std::int64_t>();
    auto done = ended(job_id);
    REQUIRE(done["status"] == "FINISHED");
    REQUIRE(done["result"]["devices"]["sim0001"]["failed"] == false);

    auto prev = ok(get("/api/v1.0/device/sim0001/previous_config?previous=0"));
    CHECK(prev["job_id"] == job_id);
    CHECK(prev["failed"] == false);
    REQUIRE(prev["finish_time"].is_string());
    CHECK(prev["config"] == devices::safe_text(sim.config("sim0001")));
    CHECK(prev["config_id"].is_number_integer());
    CHECK(ok(get("/api/v1.0/device/sim0001/previous_config?job_id=" + std::to_string(job_id)))["config_id"] ==
          prev["config_id"]);
    CHECK(ok(get("/api/v1.0/device/sim0001/previous_config?before=2999-01-01T00:00:00"))["job_id"] == job_id);
    CHECK(get("/api/v1.0/device/sim0001/previous_config?previous=1").status == 404);
    CHECK(get("/api/v1.0/device/sim0001/previous_config?before=2000-01-01").status == 404);
    CHECK(get("/api/v1.0/device/sim0001/previous_config?job_id=" + std::to_string(job_id + 1000)).status == 404);
    CHECK(get("/api/v1.0/device/sim0001/previous_config?job_id=abc").status == 400);
    CHECK(get("/api/v1.0/device/sim0001/previous_config?before=yesterday").status == 400);
    CHECK(get("/api/v1.0/device/sim0001/previous_config?previous=0&job_id=1").status == 400);

    // A dry run checks drift too (issue 14 item 3): a device changed by hand
    // since its last sync is marked unsynchronized, and its sync history
    // says why, which job found it and who scheduled that job.
    CHECK(devices::DeviceStore(*conn).get("sim0001")->synchronized);
    sim.set_config("sim0001", sim.config("sim0001") + "ip route 198.51.100.0/24 blackhole\n");
    auto dry = post("/api/v1.0/device_syncto", {{"hostname", "sim0001"}, {"resync", true}});
    REQUIRE(dry.status == 200);
    auto dry_id = dry.body["job_id"].get<std::int64_t>();
    REQUIRE(ended(dry_id)["status"] == "FINISHED");
    CHECK_FALSE(devices::DeviceStore(*conn).get("sim0001")->synchronized);
    auto events = ok(get("/api/v1.0/device_synchistory?hostname=sim0001"))["hostnames"]["sim0001"];
    REQUIRE(events.size() == 1);
    CHECK(events[0]["cause"] == "confighash");
    CHECK(events[0]["job_id"] == dry_id);
    CHECK(events[0]["by"] == "tester");
}

TEST_CASE_METHOD(DevicesApi, "device_synchistory: events until the device is synchronized again",
                 "[api][synchistory]") {
    CHECK(ok(get("/api/v1.0/device_synchistory"))["hostnames"] == json::object());
    // CNaaS-NMS's NewSyncEventModel: hostname, cause, by, timestamp.
    auto added = ok(post("/api/v1.0/device_synchistory",
                         {{"hostname", "sim0001"}, {"cause", "oob"}, {"by", "alice"}, {"timestamp", 1700000000.5}}));
    CHECK(added["hostname"] == "sim0001");
    post("/api/v1.0/device_synchistory", {{"hostname", "sim0001"}, {"cause", "maintenance"}});
    auto events = ok(get("/api/v1.0/device_synchistory?hostname=sim0001"))["hostnames"]["sim0001"];
    REQUIRE(events.size() == 2);
    // SyncStatus.js reads cause, timestamp (seconds), by, job_id.
    CHECK(events[0]["cause"] == "oob");
    CHECK(events[0]["timestamp"] == 1700000000.5);
    CHECK(events[0]["by"] == "alice");
    CHECK(events[0]["job_id"].is_null());
    CHECK(events[1]["by"] == "tester");  // the token's subject
    CHECK(events[1]["timestamp"].get<double>() > 1700000000.5);

    CHECK(post("/api/v1.0/device_synchistory", {{"hostname", "nosuch"}, {"cause", "oob"}}).status == 400);
    CHECK(post("/api/v1.0/device_synchistory", {{"hostname", "sim0001"}}).status == 400);
    CHECK(
        post("/api/v1.0/device_synchistory", {{"hostname", "sim0001"}, {"cause", "x"}, {"timestamp", "now"}}).status ==
        400);
    CHECK(post("/api/v1.0/device_synchistory", {{"hostname", "sim0001"}, {"cause", "x"}}, "read").status == 403);
    CHECK(get("/api/v1.0/device_synchistory?hostname=bad_host!").status == 400);

    // A job that leaves the device unsynchronized with a cause records it
    // once; anything that marks it synchronized clears its events.
    devices::DeviceStore store(*conn);
    store.update_sync_states({{"sim0001", false, "", "confighash"}}, "job", 7);
    store.update_sync_states({{"sim0001", false, "", "confighash"}}, "job", 8);
    auto after = ok(get("/api/v1.0/device_synchistory"))["hostnames"]["sim0001"];
    REQUIRE(after.size() == 3);
    CHECK(after[2]["cause"] == "confighash");
    CHECK(after[2]["job_id"] == 7);
    store.update_sync_states({{"sim0001", true, "abc"}});
    CHECK(ok(get("/api/v1.0/device_synchistory"))["hostnames"] == json::object());
}

namespace {

// Runs a shell command; its output, trimmed. FAILS when it fails.
std::string sh(const std::string& command) {
    auto [code, out] = run_command({"/bin/sh", "-c", command + " 2>&1"});
    INFO(command << ": " << out);
    REQUIRE(code == 0);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// The bundled templates in a bare git repository "templates.git", pushed
// from the working copy "templates-work"; the API configured to take its
// templates from it.
struct RepositoriesApi : CnaasApi {
    SimulatedDevices sim{url, settings, 1};  // sim0001 (frr)
    std::string bare = sim.dir + "/templates.git";
    std::string work = sim.dir + "/templates-work";

    RepositoriesApi() {
        INFO("git(1) is needed for this test: apt-get install git");
        REQUIRE(std::system("git --version >/dev/null 2>&1") == 0);
        sh("git init -q --bare -b main '" + bare + "' && git init -q -b main '" + work + "' && cp -r '" +
           templates::bundled_templates_dir() + "'/. '" + work + "'/ && cd '" + work +
           "' && git config user.name 'Ann Operator' && git config user.email ann@example.net && "
           "git remote add origin '" +
           bare + "'");
        settings.data_dir = sim.dir + "/data";
        settings.sync.templates_repo.url = bare;
        settings.sync.templates_repo.branch = "main";
        // As serve: jobs share one environment, so nothing one job resolves
        // may stick to the next.
        shared_environment = make_sync_environment(settings, url);
        start_api();
    }
    // Commits what the working copy holds and pushes it; the commit's sha.
    std::string push(const std::string& message) {
        sh("cd '" + work + "' && git add -A && git commit -q -m '" + message + "' && git push -q origin main");
        return sh("cd '" + work + "' && git rev-parse HEAD");
    }
    void append(const std::string& file, const std::string& text) {
        std::ofstream(work + "/" + file, std::ios::app) << text;
    }
    Answer refresh(const std::string& role = "admin") {
        return put("/api/v1.0/repository/templates", {{"action", "refresh"}}, role);
    }
    // The config the job generated, as GET /job/<id> shows it (the stored
    // result names it by id).
    std::string generated(const json& job) {
        auto shown = ok(get("/api/v1.0/job/" + job["id"].dump()))["jobs"][0];
        return shown["result"]["devices"]["sim0001"]["job_tasks"][1]["result"].get<std::string>();
    }
};

}  // namespace

TEST_CASE_METHOD(RepositoriesApi, "templates from git: refresh, a broken commit refused, jobs render from their commit",
                 "[api][repository][git]") {
    auto first = push("bundled templates");
    // Not refreshed yet: nothing renders, and it says what to do.
    auto unrefreshed = get("/api/v1.0/device/sim0001/generate_config");
    CHECK(unrefreshed.status == 422);
    CHECK(has(unrefreshed.body["message"], "never refreshed"));
    CHECK(has(ok(get("/api/v1.0/repository/templates")), "REFRESH"));

    // CNaaS-NMS's refresh and its answer (cnaas-front ConfigChangeStep1.js).
    CHECK(refresh("operator").status == 403);
    CHECK(put("/api/v1.0/repository/templates", {{"action", "pull"}}).status == 400);
    CHECK(put("/api/v1.0/repository/nosuch", {{"action", "REFRESH"}}).status == 400);
    CHECK(get("/api/v1.0/repository/settings").status == 404);  // not from git here
    auto described = ok(refresh()).get<std::string>();
    CHECK(described.rfind("Commit " + first + " main by Ann Operator at ", 0) == 0);
    CHECK(ok(get("/api/v1.0/repository/templates")) == described);
    CHECK(!has(ok(get("/api/v1.0/device/sim0001/generate_config"))["config"]["generated_config"], "marker-two"));

    // A dry run scheduled now records the first commit...
    auto scheduled = post("/api/v1.0/device_syncto", {{"hostname", "sim0001"}, {"resync", true}});
    REQUIRE(scheduled.status == 200);
    auto old_job = scheduled.body["job_id"].get<std::int64_t>();
    CHECK(job(old_job)["start_arguments"]["repository_commits"]["templates"] == first);

    // ... while a second lands and is refreshed before that job runs.
    append("frr/base.mustache", "! marker-two\n");
    auto second = push("marker two");
    CHECK(ok(refresh()).get<std::string>().rfind("Commit " + second, 0) == 0);
    CHECK(has(ok(get("/api/v1.0/device/sim0001/generate_config"))["config"]["generated_config"], "marker-two"));

    // A commit that cannot render a managed device is refused, naming it;
    // the previous commit stays current.
    append("frr/base.mustache", "{{#unclosed}}\n");
    auto broken = push("broken");
    auto refused = refresh();
    CHECK(refused.status == 400);
    CHECK(has(refused.body["message"], broken));
    CHECK(has(refused.body["message"], "sim0001"));
    CHECK(ok(get("/api/v1.0/repository/templates")).get<std::string>().rfind("Commit " + second, 0) == 0);

    // The job renders from the commit it recorded; a new one from the current.
    start();
    auto old_run = ended(old_job);
    REQUIRE(old_run["status"] == "FINISHED");
    CHECK_FALSE(has(generated(old_run), "marker-two"));
    auto fresh = post("/api/v1.0/device_syncto", {{"hostname", "sim0001"}, {"resync", true}});
    REQUIRE(fresh.status == 200);
    auto new_run = ended(fresh.body["job_id"].get<std::int64_t>());
    REQUIRE(new_run["status"] == "FINISHED");
    CHECK(has(generated(new_run), "marker-two"));
}
