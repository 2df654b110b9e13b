// What the CNaaS-NMS compatibility tests share: the API in-process on a fresh
// PostgreSQL, requests as any role, and (when a test wants devices) the
// device simulator with its devices in the inventory and the sync job kinds
// registered.
#pragma once

#include "../api_server_fixture.h"
#include "../simulated_devices.h"
#include "child_process.h"
#include "sync_access.h"

#include <httplib.h>
#include <unistd.h>
#include <filesystem>
#include <random>

namespace switchyard::testing {

using nlohmann::json;

struct Answer {
    int status = 0;
    json body;  // parsed (every answer of the API is a JSON envelope)
    httplib::Headers headers;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
    const json& data() const { return body.at("data"); }
};

struct CnaasApi : ApiServerFixture {
    // One environment for every job, as serve has (service/main.cpp); unset,
    // each job makes its own from `settings` as the test left them.
    std::shared_ptr<tasks::SyncEnvironment> shared_environment;

    // Registers the sync job kinds; the engine starts only when a test calls
    // start().
    CnaasApi() {
        tasks::register_sync_tasks(registry, [this] {
            return shared_environment ? shared_environment : make_sync_environment(settings, url);
        });
    }
    void start_api() { ApiServerFixture::start_api(std::chrono::seconds(60)); }

    Answer call(const std::string& method, const std::string& path, const std::string& body = "",
                const std::string& role = "admin") {
        auto r = send(method, path, body, role);
        REQUIRE(r);
        Answer a;
        a.status = r->status;
        a.headers = r->headers;
        INFO(method << " " << path << " -> " << r->status << ": " << r->body.substr(0, 2000));
        REQUIRE_NOTHROW(a.body = json::parse(r->body));
        return a;
    }
    Answer get(const std::string& path, const std::string& role = "read") { return call("GET", path, "", role); }
    Answer put(const std::string& path, const json& body, const std::string& role = "admin") {
        return call("PUT", path, body.dump(), role);
    }
    Answer post(const std::string& path, const json& body, const std::string& role = "operator") {
        return call("POST", path, body.dump(), role);
    }
    // The data of a 200 answer.
    json ok(const Answer& a) {
        INFO(a.body.dump().substr(0, 2000));
        REQUIRE(a.status == 200);
        REQUIRE(a.body["status"] == "success");
        return a.body["data"];
    }

    json ended(std::int64_t id, std::chrono::seconds limit = std::chrono::seconds(90)) {
        REQUIRE(wait_for(
            [&] {
                auto s = status(id);
                return s == "FINISHED" || s == "EXCEPTION" || s == "ABORTED";
            },
            limit));
        return job(id);
    }
};

// The device simulator (tests/sim) with `count` devices (frr, eos, junos in
// turn), imported into the inventory; logins as settings.
struct SimulatedDevices {
    std::string dir;
    std::unique_ptr<ChildProcess> sim;

    SimulatedDevices(const std::string& database_url, Settings& settings, int count = 3) {
        dir = "/tmp/sy-cnaas-" + std::to_string(getpid()) + "-" + std::to_string(std::random_device{}());
        std::filesystem::create_directories(dir);
        sim = start_simulated_devices(database_url, dir, count, 20000, 2);
        settings.credentials["default"] = {"admin", "admin", "", "", ""};
        settings.sync.lock_wait_seconds = std::chrono::seconds(1);
        settings.jobs.progress_flush_ms = std::chrono::milliseconds(100);
    }
    ~SimulatedDevices() {
        sim->signal(SIGTERM);
        sim->wait(std::chrono::seconds(10));
        std::filesystem::remove_all(dir);
    }

    std::string ctl(const json& request) {
        auto [code, out] = run_command({SWITCHYARD_SIM, "--state-dir", dir + "/sim", "--ctl", request.dump()});
        REQUIRE(code == 0);
        return out;
    }
    std::string config(const std::string& host) {
        auto out = ctl({{"op", "get"}, {"host", host}});
        return json::parse(out.substr(out.find('{')))["config"];
    }
    void set_config(const std::string& host, const std::string& config) {
        ctl({{"op", "set"}, {"host", host}, {"config", config}});
    }
};

}  // namespace switchyard::testing
