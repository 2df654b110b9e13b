// CNaaS-NMS's device config routes and sync history as its front end calls
// them (cnaas-front src/components/DeviceList/actionModals/ShowConfigModal.js:
// running_config, generate_config, previous_config?previous=N; ConfigChange
// utils.js: device_synchistory), against a real PostgreSQL and the device
// simulator.
#include "cnaas_fixture.h"
#include <fstream>
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

TEST_CASE_METHOD(DevicesApi, "running_config and previous_config as the front end reads them", "[api][devices][cnaas]") {
    auto running = ok(get("/api/v1.0/device/sim0001/running_config"));
    REQUIRE(running["config"].is_string());
    CHECK(running["config"] == devices::safe_text(sim.config("sim0001")));
    CHECK(get("/api/v1.0/device/nosuch/running_config").status == 404);
    CHECK(get("/api/v1.0/device/sim0001/running_config?interface=eth0").status == 400);

    // Nothing pushed yet.
    CHECK(get("/api/v1.0/device/sim0001/previous_config?previous=0").status == 404);

    // A live sync pushes the intended config; previous_config finds it.
    start();
    auto pushed = post("/api/v1.0/device_syncto", {{"hostname", "sim0001"}, {"dry_run", false}, {"resync", true}});
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
}

TEST_CASE_METHOD(DevicesApi, "device_synchistory: events until the device is synchronized again", "[api][synchistory]") {
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
    CHECK(post("/api/v1.0/device_synchistory", {{"hostname", "sim0001"}, {"cause", "x"}, {"timestamp", "now"}}).status == 400);
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
