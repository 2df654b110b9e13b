// The dashboard's routes through the real HTTP server: GET /auth/session,
// POST /auth/link (a one-time code for a working token, once), and the page
// and its assets with their headers.
#include "api/dashboard_assets.h"
#include "api/login_links.h"
#include "api_server_fixture.h"

#include <httplib.h>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct DashboardServer : ApiServerFixture {
    explicit DashboardServer(api::AuthConfig a = test_auth()) {
        auth = std::move(a);
        start_api();
    }

    httplib::Headers bearer(const std::string& jwt) { return {{"Authorization", "Bearer " + jwt}}; }
    std::string link(const api::LoginGrant& g) {
        pqxx::work tx(*conn);
        auto code = api::create_login_link(tx, g, 60s);
        tx.commit();
        return code;
    }
    httplib::Result trade(const std::string& code) {
        return client->Post("/api/v1.0/auth/link", json{{"code", code}}.dump(), "application/json");
    }
};

json data(const httplib::Result& r) { return json::parse(r->body)["data"]; }

}  // namespace

TEST_CASE_METHOD(DashboardServer, "GET /auth/session says who the token is for and what it may do", "[dashboard]") {
    auto r = client->Get("/api/v1.0/auth/session", bearer(token(api::Role::read, "rita")));
    REQUIRE(r->status == 200);
    CHECK(data(r)["sub"] == "rita");
    CHECK(data(r)["roles"] == json::array({"read"}));
    CHECK(data(r)["job_actions"] == json::array({"ABORT", "RETRY", "SUSPEND", "RESUME"}));
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    CHECK(std::abs(data(r)["expires_at"].get<long long>() - (now + 1h).count()) < 60);
    auto admin = client->Get("/api/v1.0/auth/session", bearer(token(api::Role::admin, "ada")));
    CHECK(data(admin)["roles"] == json::array({"admin"}));
    CHECK(client->Get("/api/v1.0/auth/session")->status == 401);
    // A token of seconds, not hours, is a session too. Not 1 s: exp is in
    // whole seconds, so a token issued late in a second could expire within
    // milliseconds (it failed once on a loaded machine).
    CHECK(client->Get("/api/v1.0/auth/session", bearer(token(api::Role::read, "x", 30s)))->status == 200);
    CHECK(client->Get("/api/v1.0/auth/session?x=1", bearer(token(api::Role::read, "x")))->status == 400);
}

TEST_CASE_METHOD(DashboardServer, "POST /auth/link trades a code for a working token, once", "[dashboard]") {
    auto code = link({"olivia", {api::Role::operator_}, 2h});
    auto r = trade(code);
    INFO(r->body);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Cache-Control") == "no-store");
    auto token = data(r)["token"].get<std::string>();
    CHECK(data(r)["sub"] == "olivia");
    CHECK(data(r)["expires_in"] == 7200);
    auto who = client->Get("/api/v1.0/auth/session", bearer(token));
    REQUIRE(who->status == 200);
    CHECK(data(who)["sub"] == "olivia");
    CHECK(data(who)["roles"] == json::array({"operator"}));

    auto again = trade(code);
    CHECK(again->status == 404);
    CHECK(json::parse(again->body)["message"] == "unknown or already used sign-in link");

    auto stale = link({"olivia", {api::Role::read}, 1h});
    exec("UPDATE dashboard_login_links SET expires_at = now() - interval '1 second'");
    CHECK(trade(stale)->status == 410);

    CHECK(client->Post("/api/v1.0/auth/link", "", "application/json")->status == 400);
    CHECK(client->Post("/api/v1.0/auth/link", R"({"code": 1})", "application/json")->status == 400);
    CHECK(client->Post("/api/v1.0/auth/link", R"({"code": "x", "more": 1})", "application/json")->status == 400);
    CHECK(trade("not-a-code")->status == 404);
}

TEST_CASE("a service that only verifies tokens (ES256) refuses links and leaves them unspent", "[dashboard]") {
    DashboardServer es256(api::AuthConfig{"", "-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n"});
    auto code = es256.link({"olivia", {api::Role::read}, 1h});
    CHECK(es256.trade(code)->status == 409);
    CHECK(es256.count("SELECT count(*) FROM dashboard_login_links") == 1);
}

TEST_CASE_METHOD(DashboardServer, "the page and its assets over HTTP", "[dashboard]") {
    auto page = client->Get("/");
    REQUIRE(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->get_header_value("Content-Security-Policy") == api::dashboard::content_security_policy());
    CHECK(page->body.find("js/app.js") != std::string::npos);
    std::string app = "/assets/" + std::string(api::dashboard::asset_version()) + "/js/app.js";
    auto js = client->Get(app);
    REQUIRE(js->status == 200);
    CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
    auto cached = client->Get(app, {{"If-None-Match", js->get_header_value("ETag")}});
    CHECK(cached->status == 304);
    CHECK(cached->body.empty());
    auto missing = client->Get("/assets/" + std::string(api::dashboard::asset_version()) + "/nope.js");
    CHECK(missing->status == 404);
    CHECK_FALSE(missing->get_header_value("Content-Security-Policy").empty());
    // The API is still the API.
    CHECK(client->Get("/api/v1.0/jobs")->status == 401);
}
