// Issue 9, items 1, 3 and 4, end to end: the API, the engine, real
// PostgreSQL and the device simulator. Devices that send bytes that are not
// UTF-8, a 400,000-character line or output that never ends; secrets in
// running configs and in lines a device rejects; a settings value that
// would inject a config line. Each time the job ends, the device fails alone
// or succeeds with its bytes replaced, other devices and later jobs go on,
// and no secret leaves.
#include "devices/secret_masker.h"
#include "devices/valid_utf8.h"
#include "control.h"  // tests/sim
#include "sync_fixture.h"
#include "templates/render.h"

#include <fstream>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// sim0001 frr, sim0002 eos, sim0003 junos, sim0004 frr, sim0005 eos, sim0006 junos.
struct HostileFixture : SyncFixture {
    void faults(const std::string& host, const json& spec) {
        auto out = sim_ctl({{"op", "faults"}, {"host", host}, {"faults", spec}});
        REQUIRE(json::parse(out.substr(out.find('{')))["ok"] == true);
    }
    std::string canonical(const std::string& host) {
        return json::parse(sim_ctl({{"op", "get"}, {"host", host}}))["canonical"];
    }
    // Through the control socket itself: a config with a 400,000-character
    // line is too long for one command-line argument of `switchyard-sim --ctl`.
    void set_config(const std::string& host, const std::string& config) {
        auto reply = sim::control_request(dir + "/sim/control.sock", {{"op", "set"}, {"host", host}, {"config", config}});
        INFO(reply.dump());
        REQUIRE(reply["ok"] == true);
    }
    json api_get(const std::string& path) {
        auto token = api::issue_token(auth, "ops", {api::Role::read}, std::chrono::hours(1));
        auto r = client->Get(("/api/v1.0" + path).c_str(), {{"Authorization", "Bearer " + token}});
        REQUIRE(r);
        INFO(path << ": " << r->body);
        REQUIRE(r->status == 200);
        return json::parse(r->body)["data"];
    }
    // The newest config history record of a device, as the API returns it.
    std::string newest_history_config(const std::string& host) {
        auto list = api_get("/device/" + host + "/configs");
        REQUIRE_FALSE(list["configs"].empty());
        return api_get("/device/" + host + "/configs/" + list["configs"][0]["id"].dump())["config"];
    }
    std::string diff_of(const json& job, const std::string& host) {
        return job["result"]["devices"][host]["job_tasks"][2]["diff"];
    }
    // Later work still runs: the engine is not stuck on what came before.
    void another_job_runs() {
        auto j = ended(schedule({{"hostname", "sim0004"}}));
        CHECK(j["status"] == "FINISHED");
        CHECK(j["result"]["devices"]["sim0004"]["failed"] == false);
    }
};

std::string insert_after(std::string text, const std::string& anchor, const std::string& line) {
    auto at = text.find(anchor);
    REQUIRE(at != std::string::npos);
    return text.insert(at + anchor.size(), line);
}

const std::string kReplaced = "Gr" + std::string(devices::kReplacementCharacter) + "n";

}  // namespace

TEST_CASE_METHOD(HostileFixture, "a device sending a Latin-1 byte: jobs finish, its bytes replaced everywhere",
                 "[hostile][utf8]") {
    set_config("sim0002", insert_after(canonical("sim0002"), "interface Ethernet1\n", "   description Gr\xC3\xBCn\n"));
    faults("sim0002", {{"latin1_output", true}});

    auto dry = ended(schedule({{"all", true}}));
    INFO(dry.dump(2));
    REQUIRE(dry["status"] == "FINISHED");
    for (auto& [host, d] : dry["result"]["devices"].items()) CHECK(d["failed"] == false);
    CHECK(contains(diff_of(dry, "sim0002"), "description " + kReplaced));
    CHECK(contains(newest_history_config("sim0002"), "description " + kReplaced));

    // A live run with confirm mode 2: the pending commit (the config before,
    // as read) is stored and confirmed by the next job.
    auto live = ended(schedule({{"hostname", "sim0002"}, {"dry_run", false}, {"confirm_mode", 2}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    CHECK(live["result"]["devices"]["sim0002"]["failed"] == false);
    REQUIRE(live["next_job_id"].is_number());
    auto confirm = ended(live["next_job_id"].get<std::int64_t>());
    INFO(confirm.dump(2));
    CHECK(confirm["status"] == "FINISHED");
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture, "a config line of 400,000 characters: the dry run finishes with it in diff and history",
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
    CHECK(contains(diff_of(dry, "sim0001"), "description " + description));
    const std::string history = newest_history_config("sim0001");
    CHECK(contains(history, "description " + description));
    CHECK(contains(history, std::string(400000, 'x')));
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture, "a device that never stops sending fails alone; the job and later jobs end",
                 "[hostile][endless]") {
    settings.ssh.command_timeout_seconds = 30;
    faults("sim0006", {{"endless_output", 100}});
    auto dry = ended(schedule({{"all", true}}));
    INFO(dry.dump(2));
    REQUIRE(dry["status"] == "FINISHED");
    auto& bad = dry["result"]["devices"]["sim0006"];
    CHECK(bad["failed"] == true);
    CHECK(contains(bad["job_tasks"][0]["result"], "printed more than"));
    for (auto host : {"sim0001", "sim0002", "sim0003", "sim0004", "sim0005"}) CHECK(dry["result"]["devices"][host]["failed"] == false);
    another_job_runs();
}

TEST_CASE_METHOD(HostileFixture, "secrets in running configs never leave: results, diffs, history", "[hostile][secrets]") {
    // The ten of issue 9's table, in each platform's syntax.
    set_config("sim0001", canonical("sim0001") +
                              "key chain OSPF\n key 1\n  key-string KeyStringSecret1\nexit\n!\n"
                              "interface eth9\n isis password md5 IsisHelloSecret2\nexit\n!\n"
                              "router isis CORE\n domain-password clear IsisDomainSecret3\nexit\n!\n"
                              "router bgp 65300\n neighbor 10.9.9.9 password BgpNeighborSecret4\nexit\n!\n");
    set_config("sim0002", canonical("sim0002") +
                              "snmp-server user ops netops v3 auth sha SnmpAuthSecret5 priv aes SnmpPrivSecret6\n"
                              "snmp-server community CommunitySecret7 ro\n");
    set_config("sim0003", canonical("sim0003") +
                              "security {\n    ike {\n        policy P {\n"
                              "            pre-shared-key ascii-text \"$9$PreSharedSecret8\";\n"
                              "        }\n    }\n}\n"
                              "protocols {\n    bgp {\n        group G {\n"
                              "            authentication-key \"$9$AuthKeySecret9\";\n"
                              "        }\n    }\n}\n"
                              "snmp {\n    v3 {\n        usm {\n            local-engine {\n                user u {\n"
                              "                    privacy-aes128 {\n"
                              "                        privacy-key \"$9$PrivacyKeySecret10\";\n"
                              "                    }\n                }\n            }\n        }\n    }\n}\n");
    const std::vector<std::string> secrets = {"KeyStringSecret1", "IsisHelloSecret2", "IsisDomainSecret3",
                                              "BgpNeighborSecret4", "SnmpAuthSecret5", "SnmpPrivSecret6",
                                              "CommunitySecret7", "PreSharedSecret8", "AuthKeySecret9",
                                              "PrivacyKeySecret10"};
    auto dry = ended(schedule({{"all", true}}));
    REQUIRE(dry["status"] == "FINISHED");
    const std::string everything = dry.dump();
    std::string history;
    for (auto host : {"sim0001", "sim0002", "sim0003"}) history += newest_history_config(host);
    for (const auto& s : secrets) {
        INFO(s);
        CHECK_FALSE(contains(everything, s));
        CHECK_FALSE(contains(history, s));
    }
    // The lines are there, their values masked.
    CHECK(contains(history, "key-string ****"));
    CHECK(contains(history, "auth sha **** priv aes ****"));
    CHECK(contains(history, "privacy-key \"****\";"));
    // The database keeps them raw (a rollback needs them); only what leaves is masked.
    CHECK(count("SELECT count(*) FROM device_config_texts WHERE config LIKE '%BgpNeighborSecret4%'") >= 1);
}

TEST_CASE_METHOD(HostileFixture, "a config line the device rejects is echoed into the result with its secret masked",
                 "[hostile][secrets]") {
    // The bundled eos baseline pushes this line (templates/bundled/settings/global.yml).
    const std::string line =
        "username admin privilege 15 role network-admin secret sha512 $6$EXAMPLEsalt$FAKE.HASH.FOR.DOCS.ONLY.admin";
    faults("sim0002", {{"command_error", {line}}});
    auto live = ended(schedule({{"hostname", "sim0002"}, {"dry_run", false}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    auto& d = live["result"]["devices"]["sim0002"];
    CHECK(d["failed"] == true);
    const std::string message = d["job_tasks"][0]["result"];
    CHECK(contains(message, "rejected"));
    CHECK(contains(message, "secret sha512 ****"));
    CHECK_FALSE(contains(live.dump(), "FAKE.HASH.FOR.DOCS.ONLY.admin"));
}

TEST_CASE_METHOD(HostileFixture, "a settings value with a newline is a per-device template error; nothing reaches the device",
                 "[hostile][injection]") {
    const std::string settings_dir = dir + "/settings";
    std::filesystem::copy(templates::bundled_settings_dir(), settings_dir, std::filesystem::copy_options::recursive);
    std::ofstream(settings_dir + "/devices/sim0001.yml")
        << "interfaces:\n  - name: eth1\n    description: \"uplink\\nip route 0.0.0.0/0 Null0\"\n";
    settings.sync.settings_dir = settings_dir;

    auto live = ended(schedule({{"all", true}, {"dry_run", false}}));
    INFO(live.dump(2));
    REQUIRE(live["status"] == "FINISHED");
    auto& bad = live["result"]["devices"]["sim0001"];
    CHECK(bad["failed"] == true);
    const std::string message = bad["job_tasks"][0]["result"];
    CHECK(contains(message, "setting 'interfaces[0].description'"));
    CHECK(contains(message, settings_dir + "/devices/sim0001.yml line 3"));
    CHECK(contains(message, "line feed"));
    CHECK_FALSE(contains(sim_config("sim0001"), "ip route 0.0.0.0/0 Null0"));
    for (auto host : {"sim0002", "sim0003", "sim0004", "sim0005", "sim0006"}) CHECK(live["result"]["devices"][host]["failed"] == false);
}

TEST_CASE_METHOD(HostileFixture, "what a task writes and throws is stored masked: result, exception, per-attempt errors",
                 "[hostile][secrets]") {
    registry.add({.function_name = "leaky",
                  .run = [](tasks::JobContext& ctx) {
                      ctx.set_result({{"diff", "+ neighbor 10.0.0.1 password LeakyResult1"},
                                      {"bytes", "Gr\xfcn"},
                                      {"settings", {{"enable_secret", "LeakyField2"}}}});
                      throw tasks::RetryableError("device r1 rejected 'snmp-server community LeakyThrown3 ro'");
                  },
                  .retry_safe = true,
                  .default_max_attempts = 2});
    auto id = enqueue("leaky");
    REQUIRE(wait_status(id, "EXCEPTION", 60s));
    auto j = job(id);
    const std::string text = j.dump();
    INFO(text);
    for (auto s : {"LeakyResult1", "LeakyField2", "LeakyThrown3"}) CHECK_FALSE(contains(text, s));
    CHECK(contains(j["exception"]["message"], "snmp-server community **** ro"));
    CHECK(j["errors"].size() == 2);
    CHECK(j["result"]["bytes"] == kReplaced);
}
