// The API server in the test process against EngineFixture's fresh database,
// and an HTTP client to it: what every test of the API in-process starts
// from (the routes, the CNaaS-NMS compatibility, hostile clients, sync end to
// end, the dashboard's routes).
#pragma once

#include "api/api_server.h"
#include "engine_fixture.h"
#include "malloc_tuning.h"

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

namespace switchyard::testing {

// The key every in-process API of the tests signs and checks tokens with
// (HS256).
inline api::AuthConfig test_auth() { return {"0123456789abcdef0123456789abcdef", ""}; }

// An API server on a free port of 127.0.0.1 and a client to it; stopped (its
// requests in flight let finish) when it ends.
struct InProcessApi {
    std::unique_ptr<api::ApiContext> ctx;
    std::unique_ptr<api::ApiServer> server;
    std::unique_ptr<httplib::Client> client;

    InProcessApi() = default;
    InProcessApi(const InProcessApi&) = delete;
    InProcessApi& operator=(const InProcessApi&) = delete;
    ~InProcessApi() {
        if (server) server->stop();
    }

    // Serves the API of `settings` as they are now (the context keeps a copy:
    // what a test changes later reaches it only through ctx->settings).
    // `read_timeout` bounds each answer the client waits for.
    void open(const Settings& settings, const tasks::TaskRegistry& registry, const std::string& url,
              const api::AuthConfig& auth, std::chrono::seconds read_timeout) {
        // The allocator as `switchyard serve` sets it: the memory bounds
        // the API tests check are the served process's.
        tune_malloc_for_serve(settings);
        ctx = std::make_unique<api::ApiContext>(settings, registry, url, auth);
        server = std::make_unique<api::ApiServer>(*ctx);
        server->start("127.0.0.1:0");
        client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
        client->set_read_timeout(read_timeout.count(), 0);
    }
    int port() const { return server->port(); }
};

// EngineFixture with the API of its settings, served once a test (or the
// fixture built on this one) calls start_api(), and tokens signed with `auth`.
// The engine itself starts only with start(), as in EngineFixture.
struct ApiServerFixture : EngineFixture, InProcessApi {
    api::AuthConfig auth = test_auth();

    void start_api(std::chrono::seconds read_timeout = std::chrono::seconds(10)) {
        open(settings, registry, url, auth, read_timeout);
    }

    std::string token(api::Role role, const std::string& sub = "tester",
                      std::chrono::seconds ttl = std::chrono::hours(1)) {
        return api::issue_token(auth, sub, {role}, ttl);
    }
    // `role` by its name in the API ("read", "operator", "admin").
    std::string token(const std::string& role, const std::string& sub = "tester",
                      std::chrono::seconds ttl = std::chrono::hours(1)) {
        return token(*api::parse_role(role), sub, ttl);
    }
    // The Authorization header of a token for `role` (its name); none for "".
    httplib::Headers as(const std::string& role) {
        if (role.empty()) return {};
        return {{"Authorization", "Bearer " + token(role)}};
    }
    // `method` (GET, POST, PUT, DELETE) of `path` with `body` (JSON), as `role`.
    httplib::Result send(const std::string& method, const std::string& path, const std::string& body,
                         const std::string& role) {
        auto h = as(role);
        if (method == "GET") return client->Get(path.c_str(), h);
        if (method == "POST") return client->Post(path.c_str(), h, body, "application/json");
        if (method == "PUT") return client->Put(path.c_str(), h, body, "application/json");
        return client->Delete(path.c_str(), h, body, "application/json");
    }
};

}  // namespace switchyard::testing
