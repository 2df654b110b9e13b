// What the tests of hostile devices and of secrets leaving the process
// (issue 9, items 1, 3 and 4) share: SyncFixture (the simulator, an engine
// and the API against real PostgreSQL), plus the simulator's faults and
// configs set per device, the API read as a client reads it, and a check
// that later jobs still run.
//
// sim0001 frr, sim0002 eos, sim0003 junos, sim0004 frr, sim0005 eos, sim0006 junos.
#pragma once

#include "control.h"  // tests/sim
#include "devices/valid_utf8.h"
#include "sync_fixture.h"
#include "templates/render.h"

#include <filesystem>
#include <fstream>

namespace switchyard::testing {

struct HostileFixture : SyncFixture {
    std::string canonical(const std::string& host) {
        return json::parse(sim_ctl({{"op", "get"}, {"host", host}}))["canonical"];
    }
    // Through the control socket itself: a config with a 400,000-character
    // line is too long for one command-line argument of `switchyard-sim --ctl`.
    void set_config(const std::string& host, const std::string& config) {
        auto reply =
            sim::control_request(dir + "/sim/control.sock", {{"op", "set"}, {"host", host}, {"config", config}});
        INFO(reply.dump());
        REQUIRE(reply["ok"] == true);
    }
    std::string read_token() { return api::issue_token(auth, "ops", {api::Role::read}, std::chrono::hours(1)); }
    // A job as GET /job/<id> returns it.
    json api_job(std::int64_t id) { return api_get("/job/" + std::to_string(id))["jobs"][0]; }
    // The newest config history record of a device, as the API returns it.
    std::string newest_history_config(const std::string& host) {
        auto list = api_get("/device/" + host + "/configs");
        REQUIRE_FALSE(list["configs"].empty());
        return api_get("/device/" + host + "/configs/" + list["configs"][0]["id"].dump())["config"];
    }
    std::string diff_of(const json& job, const std::string& host) {
        return job["result"]["devices"][host]["job_tasks"][2]["diff"];
    }
    // The bundled settings copied where a test may change them, and used.
    std::string own_settings() {
        const std::string settings_dir = dir + "/settings";
        std::filesystem::copy(templates::bundled_settings_dir(), settings_dir,
                              std::filesystem::copy_options::recursive);
        settings.sync.settings_dir = settings_dir;
        return settings_dir;
    }
    // `job` finished with `host` failed and every other device not: the
    // message of the host's first task (where a device's failure is told).
    std::string failed_alone(const json& job, const std::string& host) {
        INFO(job.dump(2));
        REQUIRE(job["status"] == "FINISHED");
        REQUIRE(job["result"]["devices"].size() == 6);
        for (auto& [h, d] : job["result"]["devices"].items()) {
            INFO(h);
            CHECK(d["failed"] == (h == host));
        }
        return job["result"]["devices"][host]["job_tasks"][0]["result"];
    }
    // Later work still runs: the engine is not stuck on what came before.
    void another_job_runs() {
        auto j = ended(schedule({{"hostname", "sim0004"}}));
        CHECK(j["status"] == "FINISHED");
        CHECK(j["result"]["devices"]["sim0004"]["failed"] == false);
    }
};

inline std::string insert_after(std::string text, const std::string& anchor, const std::string& line) {
    auto at = text.find(anchor);
    REQUIRE(at != std::string::npos);
    return text.insert(at + anchor.size(), line);
}

// "Grün" as a device sending ISO-8859-1 has it stored: its 0xFC replaced.
inline const std::string kReplaced = "Gr" + std::string(devices::kReplacementCharacter) + "n";

}  // namespace switchyard::testing
