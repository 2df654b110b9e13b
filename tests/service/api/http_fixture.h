// The API server in the test process against a fresh database, with limits
// and deadlines small enough to be reached in test time, reached with raw
// sockets (raw_client.h).
#pragma once

#include "../api_server_fixture.h"
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

struct HttpFixture : ApiServerFixture {
    explicit HttpFixture(Settings s = hostile_client_settings()) {
        settings = std::move(s);
        start_api();
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
