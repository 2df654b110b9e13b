// The API server in the test process against a fresh database, with limits
// and deadlines small enough to be reached in test time, reached with raw
// sockets (raw_client.h).
#pragma once

#include "../engine_fixture.h"
#include "api/api_server.h"
#include "raw_client.h"

#include <fstream>

namespace switchyard::testing {

inline Settings hostile_client_settings() {
    Settings s = fast_settings();
    s.api.threads = 8;
    s.api.max_body_bytes = 64 * 1024;
    s.api.header_timeout_seconds = std::chrono::seconds(2);
    s.api.idle_timeout_seconds = std::chrono::seconds(3);
    s.api.read_timeout_seconds = std::chrono::seconds(2);
    s.api.event_buffer_bytes = 64 * 1024;
    return s;
}

struct HttpFixture : EngineFixture {
    api::AuthConfig auth{"0123456789abcdef0123456789abcdef", ""};
    std::unique_ptr<api::ApiContext> ctx;
    std::unique_ptr<api::ApiServer> server;

    explicit HttpFixture(Settings s = hostile_client_settings()) {
        settings = std::move(s);
        ctx = std::make_unique<api::ApiContext>(settings, registry, url, auth);
        server = std::make_unique<api::ApiServer>(*ctx);
        server->start("127.0.0.1:0");
    }
    ~HttpFixture() { server->stop(); }

    int port() const { return server->port(); }
    std::string token(const std::string& role, std::chrono::seconds ttl = std::chrono::hours(1)) {
        return api::issue_token(auth, "tester", {*api::parse_role(role)}, ttl);
    }
    // One request on a new connection.
    RawResponse request(const std::string& raw) {
        RawClient c(port());
        REQUIRE(c.send_all(raw));
        auto r = c.read_response();
        REQUIRE(r);
        return *r;
    }
    nlohmann::json body(const RawResponse& r) {
        INFO(r.head << r.body);
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        REQUIRE(j.is_object());
        return j;
    }
};

// HttpFixture with hostile_client_settings() changed by `Change`, a function
// whose name and comment say what its tests need changed and why.
template <void (*Change)(Settings&)>
struct HttpFixtureWith : HttpFixture {
    HttpFixtureWith() : HttpFixture(changed()) {}
    static Settings changed() {
        Settings s = hostile_client_settings();
        Change(s);
        return s;
    }
};

// A figure of this process's /proc/self/status ("VmRSS:", "VmHWM:"), in KiB
// (the server runs in this process); -1 when absent.
inline long proc_status_kib(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
    return -1;
}

// This process's resident memory, in KiB.
inline long resident_kib() { return proc_status_kib("VmRSS:"); }

}  // namespace switchyard::testing
