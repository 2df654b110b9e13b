// The scheduling routes in-process against a real PostgreSQL: /schedules and
// /schedule/<id> (create, read, change, delete, validation, roles), RETRY of
// an ended job through PUT /job/<id>, and GET /job_types.
#include "api_server_fixture.h"
#include "devices/device_store.h"
#include "tasks/sync_environment.h"

#include <httplib.h>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

struct SchedulesApi : ApiServerFixture {
    SchedulesApi() { start_api(); }

    // The answer's envelope; REQUIREs the status.
    json answer(const std::string& method, const std::string& path, const json& body, int status,
                const std::string& role = "admin") {
        auto r = send(method, path, body.is_null() ? "" : body.dump(), role);
        REQUIRE(r);
        INFO(method << " " << path << " " << body.dump() << " -> " << r->body);
        REQUIRE(r->status == status);
        return json::parse(r->body);
    }
};

}  // namespace

TEST_CASE_METHOD(SchedulesApi, "schedules: create, list, read, change, enable, delete", "[api][schedules]") {
    auto created = answer("POST", "/api/v1.0/schedules",
                          {{"name", "nightly-dry-run"},
                           {"function_name", "noop"},
                           {"cron", "0 2 * * *"},
                           {"time_zone", "Europe/Stockholm"},
                           {"missed", "skip"},
                           {"priority", 7}},
                          201)["data"]["schedules"][0];
    auto id = created["id"].get<std::int64_t>();
    CHECK(created["name"] == "nightly-dry-run");
    CHECK(created["cron"] == "0 2 * * *");
    CHECK(created["time_zone"] == "Europe/Stockholm");
    CHECK(created["missed"] == "skip");
    CHECK(created["enabled"] == true);
    CHECK(created["priority"] == 7);
    CHECK(created["created_by"] == "tester");
    CHECK(created["next_run_at"].is_string());
    answer("POST", "/api/v1.0/schedules", {{"name", "nightly-dry-run"}, {"function_name", "noop"}, {"cron", "@daily"}},
           409);

    auto list = answer("GET", "/api/v1.0/schedules", nullptr, 200, "read")["data"]["schedules"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["id"] == id);
    std::string path = "/api/v1.0/schedule/" + std::to_string(id);
    CHECK(answer("GET", path, nullptr, 200, "read")["data"]["schedules"][0]["name"] == "nightly-dry-run");

    // An interval replaces the cron expression (and its zone).
    auto changed = answer("PUT", path, {{"interval_seconds", 600}, {"enabled", false}}, 200)["data"]["schedules"][0];
    CHECK(changed["cron"].is_null());
    CHECK(changed["interval_seconds"] == 600);
    CHECK(changed["time_zone"] == "UTC");
    CHECK(changed["enabled"] == false);
    CHECK(answer("PUT", path, {{"enabled", true}}, 200)["data"]["schedules"][0]["enabled"] == true);
    answer("PUT", path, {{"cron", "61 * * * *"}}, 400);
    answer("PUT", path, {{"function_name", "reboot_everything"}}, 400);

    answer("DELETE", path, nullptr, 200);
    answer("GET", path, nullptr, 404, "read");
    answer("PUT", path, {{"enabled", true}}, 404);
    answer("DELETE", path, nullptr, 404);
}

TEST_CASE_METHOD(SchedulesApi, "schedules: bad requests are 400 with a message, never stored", "[api][schedules]") {
    for (auto& bad : {json::object(), json{{"name", "x"}}, json{{"name", "x"}, {"function_name", "noop"}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"cron", "@daily"}, {"interval_seconds", 60}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"cron", "* * *"}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"cron", "@daily"}, {"time_zone", "Nowhere/City"}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"interval_seconds", 0}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"interval_seconds", "60"}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"interval_seconds", 60}, {"missed", "all"}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"interval_seconds", 60}, {"priority", 0}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"interval_seconds", 60}, {"arguments", "[]"}},
                      json{{"name", "x"}, {"function_name", "noop"}, {"interval_seconds", 60}, {"colour", "red"}},
                      json{{"name", ""}, {"function_name", "noop"}, {"interval_seconds", 60}},
                      json{{"name", 5}, {"function_name", "noop"}, {"interval_seconds", 60}},
                      json{{"name", "x"}, {"function_name", "nosuch"}, {"interval_seconds", 60}}}) {
        auto b = answer("POST", "/api/v1.0/schedules", bad, 400);
        CHECK_FALSE(b["message"].get<std::string>().empty());
    }
    CHECK(count("SELECT count(*) FROM schedules") == 0);
    answer("GET", "/api/v1.0/schedule/abc", nullptr, 400, "read");
    answer("GET", "/api/v1.0/schedule/0", nullptr, 400, "read");
}

TEST_CASE_METHOD(SchedulesApi, "schedules, retry and job types: who may do what", "[api][auth][schedules]") {
    auto ended = enqueue("noop");
    exec("UPDATE jobs SET status = 'FINISHED', finish_time = now() WHERE id = " + std::to_string(ended));
    struct Case {
        std::string method, path, body;
        int none, read, op, admin;
    };
    // 404 or 400 past the auth check mean "allowed": the request reached the route.
    const std::string create = R"({"name":"n","function_name":"noop","interval_seconds":60})";
    std::vector<Case> cases = {
        {"GET", "/api/v1.0/schedules", "", 401, 200, 200, 200},
        {"GET", "/api/v1.0/schedule/999", "", 401, 404, 404, 404},
        {"POST", "/api/v1.0/schedules", R"({"name":1})", 401, 403, 403, 400},
        {"PUT", "/api/v1.0/schedule/999", R"({"enabled":true})", 401, 403, 403, 404},
        {"DELETE", "/api/v1.0/schedule/999", "", 401, 403, 403, 404},
        {"PUT", "/api/v1.0/job/999", R"({"action":"RETRY"})", 401, 403, 404, 404},
        {"GET", "/api/v1.0/job_types", "", 401, 200, 200, 200},
    };
    for (auto& c : cases) {
        int want[] = {c.none, c.read, c.op, c.admin};
        const char* roles[] = {"", "read", "operator", "admin"};
        for (int i = 0; i < 4; ++i) {
            auto r = send(c.method, c.path, c.body, roles[i]);
            INFO(c.method << " " << c.path << " as " << (roles[i][0] ? roles[i] : "no token") << ": "
                          << (r ? r->body : "no answer"));
            REQUIRE(r);
            CHECK(r->status == want[i]);
        }
    }
}

TEST_CASE_METHOD(SchedulesApi, "PUT /job/<id> RETRY makes a linked job; GET /job_types describes every kind",
                 "[api][retry]") {
    auto id = enqueue("sleep", {{"seconds", 0}});
    std::string path = "/api/v1.0/job/" + std::to_string(id);
    auto not_ended = answer("PUT", path, {{"action", "retry"}}, 400, "operator");
    CHECK(not_ended["message"].get<std::string>().find("only ended jobs") != std::string::npos);
    exec("UPDATE jobs SET status = 'ABORTED', finish_time = now() WHERE id = " + std::to_string(id));
    auto retried = answer("PUT", path, {{"action", "RETRY"}}, 200, "operator");
    auto new_id = retried["data"]["job_id"].get<std::int64_t>();
    CHECK(new_id != id);
    auto n = answer("GET", "/api/v1.0/job/" + std::to_string(new_id), nullptr, 200, "read")["data"]["jobs"][0];
    CHECK(n["retry_of"] == id);
    CHECK(n["status"] == "SCHEDULED");
    CHECK(n["start_arguments"] == json({{"seconds", 0}}));
    CHECK(answer("GET", path, nullptr, 200, "read")["data"]["jobs"][0]["retried_by"] == new_id);
    auto twice = answer("PUT", path, {{"action", "RETRY"}}, 409, "operator");
    CHECK(twice["message"].get<std::string>().find("job " + std::to_string(new_id)) != std::string::npos);
    answer("PUT", path, {{"action", "RETRY"}, {"abort_reason", "x"}}, 400, "operator");
    answer("PUT", "/api/v1.0/job/999999", {{"action", "RETRY"}}, 404, "operator");

    auto types = answer("GET", "/api/v1.0/job_types", nullptr, 200, "read")["data"]["job_types"];
    std::map<std::string, json> by_name;
    for (auto& t : types) by_name[t["function_name"]] = t;
    REQUIRE(by_name.count("noop"));
    REQUIRE(by_name.count("sleep"));
    CHECK(by_name["sleep"]["retry_safe"] == false);
    CHECK(by_name["sleep_idempotent"]["retry_safe"] == true);
    CHECK(by_name["sleep"]["arguments"]["properties"].contains("seconds"));
    CHECK(by_name["sleep"]["default_max_attempts"] == 1);
    CHECK(by_name["noop"]["default_timeout_seconds"] == settings.jobs.default_timeout_seconds.count());
    for (auto& t : types) {
        INFO(t.dump());
        CHECK_FALSE(t["description"].get<std::string>().empty());
        CHECK(t["arguments"]["type"] == "object");
        CHECK(t["locks"].is_array());
    }
}

TEST_CASE_METHOD(SchedulesApi,
                 "device_syncto: a scheduled_time beyond what a clock holds is refused, a distant past runs now",
                 "[api][syncto]") {
    // Enqueued, never run here: no environment is needed.
    tasks::register_sync_tasks(registry, [] { return std::shared_ptr<tasks::SyncEnvironment>(); });
    devices::Device d;
    d.hostname = "sw1";
    d.management_ip = "192.0.2.1";
    devices::DeviceStore(*conn).upsert_all({d});
    // system_clock counts nanoseconds since 1970: it holds 1677-2262. A time
    // outside must neither wrap around (2300 became a time past: the job ran
    // at once) nor reach PostgreSQL out of its range (a 500).
    for (const char* far : {"2300-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "3000-06-01T00:00:00+02:00"}) {
        auto r =
            answer("POST", "/api/v1.0/device_syncto", {{"hostname", "sw1"}, {"scheduled_time", far}}, 400, "operator");
        CHECK(r["message"].get<std::string>().find("366 days") != std::string::npos);
    }
    CHECK(count("SELECT count(*) FROM jobs") == 0);
    for (const char* past : {"2001-01-01T00:00:00Z", "1500-01-01T00:00:00Z", "0001-01-01T00:00:00Z"}) {
        auto r =
            answer("POST", "/api/v1.0/device_syncto", {{"hostname", "sw1"}, {"scheduled_time", past}}, 200, "operator");
        auto id = r["job_id"].get<std::int64_t>();
        INFO(past);
        CHECK(count("SELECT count(*) FROM jobs WHERE id = " + std::to_string(id) +
                    " AND scheduled_time <= now() AND scheduled_time > now() - interval '1 day'") == 1);
    }
}

TEST_CASE_METHOD(SchedulesApi, "a schedule of a device job: its arguments are checked when it is written",
                 "[api][schedules][backup]") {
    // Never run here: no environment is needed.
    tasks::register_sync_tasks(registry, [] { return std::shared_ptr<tasks::SyncEnvironment>(); });
    auto created = answer("POST", "/api/v1.0/schedules",
                          {{"name", "nightly-backup"},
                           {"function_name", "backup_configs"},
                           {"arguments", {{"all", true}}},
                           {"cron", "0 3 * * *"}},
                          201)["data"]["schedules"][0];
    CHECK(created["function_name"] == "backup_configs");
    CHECK(created["arguments"] == json({{"all", true}}));
    answer("POST", "/api/v1.0/schedules",
           {{"name", "weekly-dry-run"},
            {"function_name", "sync_devices (dry_run)"},
            {"arguments", {{"group", "core"}, {"resync", true}}},
            {"cron", "@weekly"}},
           201);
    struct Bad {
        std::string function_name;
        json arguments;
        std::string says;
    };
    for (auto& bad : {Bad{"backup_configs", json::object(), "give exactly one of hostname"},
                      Bad{"backup_configs", {{"all", true}, {"hostname", "sw1"}}, "give exactly one of hostname"},
                      Bad{"backup_configs", {{"all", true}, {"dry_run", false}}, "not 'dry_run'"},
                      Bad{"backup_configs", {{"device_type", "ROUTER"}}, "unknown device_type"},
                      Bad{"sync_devices", {{"all", true}, {"confirm_mode", 7}}, "field 'confirm_mode' is 7"}}) {
        auto b = answer("POST", "/api/v1.0/schedules",
                        {{"name", "bad"},
                         {"function_name", bad.function_name},
                         {"arguments", bad.arguments},
                         {"interval_seconds", 60}},
                        400);
        INFO(b.dump());
        CHECK(b["message"].get<std::string>().find("arguments of " + bad.function_name + ": ") != std::string::npos);
        CHECK(b["message"].get<std::string>().find(bad.says) != std::string::npos);
    }
    // A change is checked as a creation is.
    auto path = "/api/v1.0/schedule/" + created["id"].dump();
    answer("PUT", path, {{"arguments", {{"group", 5}}}}, 400);
    CHECK(answer("GET", path, nullptr, 200, "read")["data"]["schedules"][0]["arguments"] == json({{"all", true}}));
    CHECK(count("SELECT count(*) FROM schedules") == 2);
}
