// The HTTP API in-process against a real PostgreSQL: every route's success and
// error cases, paging edges, filter and sort validation, the role matrix, and
// SQL injection attempts through every filter and sort parameter.
#include "api_server_fixture.h"

#include <httplib.h>

#include <unistd.h>
#include <filesystem>

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

struct ApiFixture : ApiServerFixture {
    ApiFixture() {
        settings.api.max_body_bytes = 4096;
        start_api();
    }

    httplib::Result get(const std::string& path, const std::string& role = "read") {
        return client->Get(path.c_str(), as(role));
    }
    httplib::Result put(const std::string& path, const std::string& body, const std::string& role = "operator") {
        return client->Put(path.c_str(), as(role), body, "application/json");
    }
    httplib::Result del(const std::string& path, const std::string& body, const std::string& role = "admin") {
        return client->Delete(path.c_str(), as(role), body, "application/json");
    }
    static json body(const httplib::Result& r) { return json::parse(r->body); }
};

}  // namespace

TEST_CASE_METHOD(ApiFixture, "GET /jobs pages with X-Total-Count and Link", "[api][jobs]") {
    for (int i = 0; i < 120; ++i) enqueue("noop");
    auto r = get("/api/v1.0/jobs");
    REQUIRE(r->status == 200);
    auto b = body(r);
    CHECK(b["status"] == "success");
    CHECK(b["data"]["jobs"].size() == 50);
    CHECK(b["data"]["jobs"][0]["id"] == 1);
    CHECK(r->get_header_value("X-Total-Count") == "120");
    auto link = r->get_header_value("Link");
    CHECK(link.find("page=2&per_page=50>; rel=\"next\"") != std::string::npos);
    CHECK(link.find("page=3&per_page=50>; rel=\"last\"") != std::string::npos);

    CHECK(body(get("/api/v1.0/jobs?page=3"))["data"]["jobs"].size() == 20);
    auto past = get("/api/v1.0/jobs?page=9");
    CHECK(past->status == 200);
    CHECK(body(past)["data"]["jobs"].empty());
    CHECK(body(get("/api/v1.0/jobs?per_page=1000"))["data"]["jobs"].size() == 120);
    CHECK(body(get("/api/v1.0/jobs?per_page=1&sort=-id"))["data"]["jobs"][0]["id"] == 120);

    for (auto bad : {"per_page=0", "per_page=1001", "page=0", "page=abc", "page=99999999999999999999", "per_page=-5",
                     "page=1&page=2", "pagesize=3"}) {
        auto e = get(std::string("/api/v1.0/jobs?") + bad);
        INFO(bad);
        CHECK(e->status == 400);
        CHECK(body(e)["status"] == "error");
    }
}

TEST_CASE_METHOD(ApiFixture, "GET /jobs filters and sorts, validating every name and value", "[api][jobs]") {
    auto a = enqueue("noop");
    engine::EnqueueRequest r;
    r.comment = "core switch 50% done_ok";
    r.scheduled_by = "alice";
    enqueue("sleep", {{"seconds", 0}}, r);
    {
        pqxx::work tx(*conn);
        engine::abort_job(tx, a, "x", "y");
        tx.commit();
    }
    CHECK(body(get("/api/v1.0/jobs?filter[status]=aborted"))["data"]["jobs"].size() == 1);
    CHECK(body(get("/api/v1.0/jobs?filter[status]=SCHEDULED"))["data"]["jobs"][0]["function_name"] == "sleep");
    CHECK(body(get("/api/v1.0/jobs?filter[function_name][contains]=lee"))["data"]["jobs"].size() == 1);
    CHECK(body(get("/api/v1.0/jobs?filter[scheduled_by]=alice"))["data"]["jobs"].size() == 1);
    CHECK(body(get("/api/v1.0/jobs?filter[comment][contains]=50%25"))["data"]["jobs"].size() == 1);
    CHECK(
        body(get("/api/v1.0/jobs?filter[comment][contains]=5_%25"))["data"]["jobs"].empty());  // literal, not a pattern
    CHECK(body(get("/api/v1.0/jobs?filter[id]=2"))["data"]["jobs"][0]["id"] == 2);
    CHECK(body(get("/api/v1.0/jobs?sort=-function_name"))["data"]["jobs"][0]["function_name"] == "sleep");

    auto unknown = get("/api/v1.0/jobs?filter[password]=x");
    CHECK(unknown->status == 400);
    CHECK(body(unknown)["message"].get<std::string>().find("unknown filter field 'password'") != std::string::npos);
    for (auto bad : {"filter[status]=DONE", "filter[id]=one", "filter[status][contains]=RUN", "filter[id][gt]=3",
                     "filter[comment=x", "sort=password", "sort=--id", "filter_jobresult=secrets",
                     "filter[comment]=%FF%FE", "filter[comment][contains]=%C0%AF"}) {
        auto e = get(std::string("/api/v1.0/jobs?") + bad);
        INFO(bad);
        CHECK(e->status == 400);
    }
}

TEST_CASE_METHOD(ApiFixture, "SQL injection through every filter and sort parameter changes nothing",
                 "[api][security]") {
    for (int i = 0; i < 3; ++i) enqueue("noop");
    const char* attacks[] = {
        "1;DROP TABLE jobs;--",     "' OR '1'='1", "1) OR (1=1", "x' UNION SELECT password FROM pg_shadow--", "$1",
        "\\'; DELETE FROM jobs; --"};
    const char* fields[] = {"id",         "status",      "function_name", "scheduled_by", "comment",
                            "ticket_ref", "next_job_id", "change_score",  "queue",        "priority"};
    for (auto* attack : attacks) {
        std::string enc = httplib::detail::encode_query_param(attack);
        for (auto* f : fields) {
            for (std::string op : {"", "[contains]"}) {
                auto r = get("/api/v1.0/jobs?filter[" + std::string(f) + "]" + op + "=" + enc);
                INFO(f << op << " = " << attack);
                REQUIRE(r);
                CHECK((r->status == 400 || (r->status == 200 && body(r)["data"]["jobs"].empty())));
            }
        }
        CHECK(get("/api/v1.0/jobs?sort=" + enc)->status == 400);
        CHECK(get("/api/v1.0/jobs?filter[" + enc + "]=1")->status == 400);
    }
    CHECK(count("SELECT count(*) FROM jobs") == 3);
}

TEST_CASE_METHOD(ApiFixture, "GET /job/<id>", "[api][jobs]") {
    auto id = enqueue("noop");
    auto r = get("/api/v1.0/job/" + std::to_string(id));
    REQUIRE(r->status == 200);
    auto j = body(r)["data"]["jobs"];
    REQUIRE(j.size() == 1);
    CHECK(j[0]["id"] == id);
    for (auto field :
         {"id", "status", "scheduled_time", "start_time", "finish_time", "function_name", "scheduled_by", "comment",
          "ticket_ref", "next_job_id", "result", "exception", "finished_devices", "change_score", "start_arguments"})
        CHECK(j[0].contains(field));
    CHECK(get("/api/v1.0/job/999")->status == 404);
    CHECK(body(get("/api/v1.0/job/999"))["message"] == "job 999 not found");
    CHECK(get("/api/v1.0/job/abc")->status == 400);
    CHECK(get("/api/v1.0/job/-1")->status == 400);
    CHECK(get("/api/v1.0/job/1?evil=1")->status == 400);
}

TEST_CASE_METHOD(ApiFixture, "filter_jobresult leaves configs and diffs out of sync results", "[api][jobs]") {
    // What CNaaS-NMS drops (api/jobs.py filter_job_dict): the whole
    // "Generate device config" (config) and "Sync device config" (diff) tasks
    // of sync_devices jobs, nothing of other jobs.
    auto id = enqueue("noop");
    auto other = enqueue("noop");
    std::string result =
        "'{\"devices\": {\"sw1\": {\"failed\": false, \"job_tasks\": ["
        "{\"task_name\": \"push_sync_device\", \"result\": null, \"diff\": \"\", \"failed\": false},"
        "{\"task_name\": \"Generate device config\", \"result\": \"hostname sw1\", \"diff\": \"\", \"failed\": false},"
        "{\"task_name\": \"Sync device config\", \"result\": null, \"diff\": \"+x\", \"failed\": false}]}}}'";
    exec("UPDATE jobs SET function_name = 'sync_devices (dry_run)', result = " + result +
         " WHERE id = " + std::to_string(id));
    exec("UPDATE jobs SET result = " + result + " WHERE id = " + std::to_string(other));
    auto full =
        body(get("/api/v1.0/job/" + std::to_string(id)))["data"]["jobs"][0]["result"]["devices"]["sw1"]["job_tasks"];
    CHECK(full[1]["result"] == "hostname sw1");
    auto tasks = [&](const std::string& query, std::int64_t job) {
        return body(get("/api/v1.0/jobs?filter[id]=" + std::to_string(job) + "&" +
                        query))["data"]["jobs"][0]["result"]["devices"]["sw1"]["job_tasks"];
    };
    auto slim = tasks("filter_jobresult=config,diff", id);
    REQUIRE(slim.size() == 1);
    CHECK(slim[0]["task_name"] == "push_sync_device");
    auto no_config = tasks("filter_jobresult=config", id);
    REQUIRE(no_config.size() == 2);
    CHECK(no_config[1]["task_name"] == "Sync device config");
    CHECK(no_config[1]["diff"] == "+x");
    CHECK(tasks("filter_jobresult=diff", id).size() == 2);
    CHECK(tasks("filter_jobresult=config,diff", other).size() == 3);  // not a sync job: untouched
    auto one = body(get("/api/v1.0/job/" + std::to_string(id) + "?filter_jobresult=diff"))["data"]["jobs"][0];
    CHECK(one["result"]["devices"]["sw1"]["job_tasks"].size() == 2);
}

TEST_CASE_METHOD(ApiFixture, "PUT /job/<id> aborts, keeping the reason and who asked", "[api][abort]") {
    engine::EnqueueRequest later;
    later.delay_seconds = 3600;
    auto id = enqueue("noop", {}, later);
    std::string path = "/api/v1.0/job/" + std::to_string(id);
    auto r = client->Put(path.c_str(), {{"Authorization", "Bearer " + token("operator", "erin")}},
                         R"({"action": "ABORT", "abort_reason": "window closed"})", "application/json");
    REQUIRE(r->status == 200);
    CHECK(body(r)["data"]["status"] == "ABORTED");
    auto j = job(id);
    CHECK(j["result"]["message"] == "Job aborted: window closed");
    CHECK(j["result"]["aborted_by"] == "erin");

    auto again = put(path, R"({"action": "ABORT"})");
    CHECK(again->status == 400);
    CHECK(body(again)["message"].get<std::string>().find("is ABORTED") != std::string::npos);
    CHECK(put("/api/v1.0/job/999", R"({"action": "ABORT"})")->status == 404);
    for (auto bad : {"", "not json", "[1]", R"({"action": 5})", R"({"action": "RESTART"})", R"({"abort_reason": "x"})",
                     R"({"action": "ABORT", "force": true})", R"({"action": "ABORT", "abort_reason": 3})",
                     "{\"action\": \"ABORT\", \"abort_reason\": \"\xff\"}"}) {
        INFO(bad);
        CHECK(put(path, bad)->status == 400);
    }
}

TEST_CASE_METHOD(ApiFixture, "GET and DELETE /joblocks", "[api][locks]") {
    auto id = enqueue("noop");
    exec("UPDATE jobs SET status = 'RUNNING' WHERE id = " + std::to_string(id));
    exec("INSERT INTO job_locks (name, job_id) VALUES ('devices', " + std::to_string(id) + ")");
    auto r = get("/api/v1.0/joblocks");
    REQUIRE(r->status == 200);
    auto l = body(r)["data"]["locks"];
    REQUIRE(l.size() == 1);
    CHECK(l[0]["name"] == "devices");
    CHECK(l[0]["job_id"] == id);
    CHECK(l[0]["abort"] == false);
    CHECK(l[0]["start_time"].is_string());

    auto d = del("/api/v1.0/joblocks", R"({"name": "devices"})");
    REQUIRE(d->status == 200);
    CHECK(body(d)["data"]["name"] == "devices");
    CHECK(body(d)["data"]["status"] == "deleted");
    CHECK(del("/api/v1.0/joblocks", R"({"name": "devices"})")->status == 404);
    CHECK(del("/api/v1.0/joblocks", R"({})")->status == 400);
    CHECK(del("/api/v1.0/joblocks", R"({"name": 1})")->status == 400);
    CHECK(del("/api/v1.0/joblocks", "")->status == 400);
}

TEST_CASE_METHOD(ApiFixture, "the role matrix: every route by every role and no token", "[api][auth]") {
    auto id = std::to_string(enqueue("noop"));
    struct Case {
        std::string method, path, body;
        int none, read, op, admin;  // expected status per role
    };
    // 404 or 400 past the auth check mean "allowed": the request reached the route.
    std::vector<Case> cases = {
        {"GET", "/api/v1.0/jobs", "", 401, 200, 200, 200},
        {"GET", "/api/v1.0/job/" + id, "", 401, 200, 200, 200},
        {"PUT", "/api/v1.0/job/999", R"({"action":"ABORT"})", 401, 403, 404, 404},
        {"GET", "/api/v1.0/joblocks", "", 401, 200, 200, 200},
        {"DELETE", "/api/v1.0/joblocks", R"({"name":"none"})", 401, 403, 403, 404},
        {"GET", "/api/v1.0/metrics", "", 401, 200, 200, 200},
        {"GET", "/api/v1.0/health", "", 200, 200, 200, 200},
    };
    for (auto& c : cases) {
        int want[] = {c.none, c.read, c.op, c.admin};
        const char* roles[] = {"", "read", "operator", "admin"};
        for (int i = 0; i < 4; ++i) {
            auto h = as(roles[i]);
            httplib::Result r = c.method == "GET"   ? client->Get(c.path.c_str(), h)
                                : c.method == "PUT" ? client->Put(c.path.c_str(), h, c.body, "application/json")
                                                    : client->Delete(c.path.c_str(), h, c.body, "application/json");
            INFO(c.method << " " << c.path << " as " << (roles[i][0] ? roles[i] : "no token"));
            REQUIRE(r);
            CHECK(r->status == want[i]);
        }
    }
}

TEST_CASE_METHOD(ApiFixture, "tampered and foreign tokens are refused", "[api][auth]") {
    auto t = token("admin");
    auto tampered = t;
    tampered[tampered.find('.') + 3] ^= 1;
    auto foreign = api::issue_token({"another-secret-another-secret-xx", ""}, "mallory", {api::Role::admin},
                                    std::chrono::hours(1));
    // (Expired, alg=none and the rest are in tests/service/api/auth_test.cpp.)
    for (auto& bad : {tampered, foreign, std::string("x.y.z"), std::string("")}) {
        auto r = client->Get("/api/v1.0/jobs", {{"Authorization", "Bearer " + bad}});
        CHECK(r->status == 401);
        CHECK(r->body.find(bad.empty() ? "\x01" : bad) == std::string::npos);  // never echoed
    }
    CHECK(client->Get("/api/v1.0/jobs", {{"Authorization", "Basic dXNlcjpwYXNz"}})->status == 401);
}

TEST_CASE_METHOD(ApiFixture, "health, metrics, unknown routes, oversized bodies", "[api]") {
    auto h = get("/api/v1.0/health", "");
    REQUIRE(h->status == 200);
    CHECK(body(h)["data"]["database"] == "ok");
    enqueue("noop");
    auto m = get("/api/v1.0/metrics");
    REQUIRE(m->status == 200);
    CHECK(m->body.find("switchyard_jobs{status=\"SCHEDULED\",function_name=\"noop\"} 1") != std::string::npos);
    CHECK(m->body.find("switchyard_http_requests_total{route=\"GET /health\",code=\"200\"} 1") != std::string::npos);
    auto nf = get("/api/v1.0/nowhere");
    CHECK(nf->status == 404);
    CHECK(body(nf)["status"] == "error");
    auto big = del("/api/v1.0/joblocks", "{\"name\": \"" + std::string(10000, 'x') + "\"}");
    CHECK(big->status == 413);
}

TEST_CASE_METHOD(ApiFixture, "GET /events streams job changes", "[api][events]") {
    start();
    std::string received;
    std::atomic<bool> done{false};
    std::int64_t id = 0;
    httplib::Client stream("127.0.0.1", server->port());
    stream.set_read_timeout(20, 0);
    std::thread reader([&] {
        stream.Get("/api/v1.0/events", as("read"), [&](const char* data, size_t n) {
            received.append(data, n);
            return !(done = received.find("\"FINISHED\"") != std::string::npos);
        });
    });
    REQUIRE(wait_for([&] { return ctx->events.subscribers() == 1; }));
    id = enqueue("noop");
    REQUIRE(wait_for([&] { return done.load(); }));
    reader.join();
    CHECK(received.find("event: jobs") != std::string::npos);
    CHECK(received.find("\"id\": " + std::to_string(id)) != std::string::npos);
    CHECK(get("/api/v1.0/events?job_id=x")->status == 400);
}

TEST_CASE_METHOD(ApiFixture, "devices: create, get, list with filters, update, delete, validation", "[api][devices]") {
    auto post = [&](const std::string& body, const std::string& role = "admin") {
        return client->Post("/api/v1.0/device", as(role), body, "application/json");
    };
    auto created = post(R"({"hostname": "sw1.lab", "management_ip": "192.0.2.1", "platform": "eos",
                             "device_type": "ACCESS", "groups": ["campus"]})");
    REQUIRE(created->status == 201);
    CHECK(body(created)["data"]["devices"][0]["hostname"] == "sw1.lab");
    REQUIRE(
        post(R"({"hostname": "r1", "management_ip": "192.0.2.2", "platform": "frr", "device_type": "CORE"})")->status ==
        201);
    CHECK(post(R"({"hostname": "r1", "management_ip": "192.0.2.2", "platform": "frr"})")->status == 409);
    CHECK(post(R"({"hostname": "r2", "management_ip": "192.0.2.3", "platform": "frr"})", "operator")->status == 403);

    for (auto bad : {R"({"hostname": "bad_host!", "management_ip": "192.0.2.9", "platform": "frr"})",
                     R"({"hostname": "r9", "management_ip": "300.1.1.1", "platform": "frr"})",
                     R"({"hostname": "r9", "management_ip": "192.0.2.9", "platform": "ios-xr-9000"})",
                     R"({"hostname": "r9", "management_ip": "192.0.2.9", "platform": "frr", "port": 70000})",
                     R"({"hostname": "r9", "management_ip": "192.0.2.9", "platform": "frr", "colour": "red"})",
                     R"([1, 2])", "nope"}) {
        auto r = post(bad);
        INFO(bad);
        CHECK(r->status == 400);
        CHECK(body(r)["status"] == "error");
    }

    auto one = get("/api/v1.0/device/r1");
    REQUIRE(one->status == 200);
    CHECK(body(one)["data"]["devices"][0]["platform"] == "frr");
    CHECK(get("/api/v1.0/device/nosuch")->status == 404);
    CHECK(get("/api/v1.0/device/bad_name!")->status == 400);

    auto list = get("/api/v1.0/devices?filter[platform]=EOS");
    REQUIRE(list->status == 200);
    CHECK(body(list)["data"]["devices"].size() == 1);
    CHECK(list->get_header_value("X-Total-Count") == "1");
    CHECK(body(get("/api/v1.0/devices?filter[group]=campus"))["data"]["devices"][0]["hostname"] == "sw1.lab");
    CHECK(body(get("/api/v1.0/devices?sort=-hostname&per_page=1"))["data"]["devices"][0]["hostname"] == "sw1.lab");
    CHECK(body(get("/api/v1.0/devices?filter[hostname][contains]=sw"))["data"]["devices"].size() == 1);
    CHECK(get("/api/v1.0/devices?filter[password]=x")->status == 400);
    CHECK(get("/api/v1.0/devices?sort=confhash")->status == 400);
    CHECK(get("/api/v1.0/devices?per_page=0")->status == 400);

    auto upd = put("/api/v1.0/device/r1", R"({"state": "UNMANAGED", "groups": ["core"]})", "admin");
    REQUIRE(upd->status == 200);
    CHECK(body(upd)["data"]["devices"][0]["state"] == "UNMANAGED");
    CHECK(body(upd)["data"]["devices"][0]["management_ip"] == "192.0.2.2");
    CHECK(put("/api/v1.0/device/r1", R"({"hostname": "r7"})", "admin")->status == 400);
    CHECK(put("/api/v1.0/device/r1", R"({"platform": "nope"})", "admin")->status == 400);
    CHECK(put("/api/v1.0/device/nosuch", R"({"state": "MANAGED"})", "admin")->status == 404);

    auto gone = del("/api/v1.0/device/r1", "");
    CHECK(gone->status == 200);
    CHECK(del("/api/v1.0/device/r1", "")->status == 404);
    CHECK(body(get("/api/v1.0/devices"))["data"]["devices"].size() == 1);
}

TEST_CASE_METHOD(ApiFixture, "X-Total-Count from the maintained counts equals count(*) through every change",
                 "[api][jobs]") {
    start();
    for (int i = 0; i < 5; ++i) enqueue("noop");
    for (int i = 0; i < 3; ++i) enqueue("sleep", {{"fail", true}});
    engine::EnqueueRequest later;
    later.delay_seconds = 3600;
    auto waiting = enqueue("noop", {}, later);
    REQUIRE(
        wait_for([&] { return count("SELECT count(*) FROM jobs WHERE status IN ('FINISHED', 'EXCEPTION')") == 8; }));
    exec("DELETE FROM jobs WHERE id = " + std::to_string(waiting));
    auto total = [&](const std::string& query) {
        return std::stol(get("/api/v1.0/jobs?per_page=1" + query)->get_header_value("X-Total-Count"));
    };
    // Before and after the leader folds the deltas (it does so every round).
    for (int round = 0; round < 2; ++round) {
        CHECK(total("") == count("SELECT count(*) FROM jobs"));
        CHECK(total("&filter[status]=finished") == 5);
        CHECK(total("&filter[status]=EXCEPTION&filter[function_name]=sleep") == 3);
        CHECK(total("&filter[function_name]=noop") == 5);
        CHECK(total("&filter[function_name][contains]=oo") == 5);  // counted by scan
        REQUIRE(wait_for([&] { return count("SELECT count(*) FROM job_count_deltas") == 0; }));
    }
}

TEST_CASE("the API serves HTTPS when a certificate and key are configured", "[api][tls]") {
    std::string dir = "/tmp/sy-tls-" + std::to_string(getpid());
    std::filesystem::create_directories(dir);
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost"
        " -keyout " +
        dir + "/key.pem -out " + dir + "/cert.pem 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    tasks::TaskRegistry registry;
    Settings settings = fast_settings();
    settings.api.tls_cert_file = dir + "/cert.pem";
    settings.api.tls_key_file = dir + "/key.pem";
    api::ApiContext ctx(settings, registry, fresh_database_url(), test_auth());
    api::ApiServer server(ctx);
    server.start("127.0.0.1:0");
    httplib::SSLClient tls("127.0.0.1", server.port());
    tls.enable_server_certificate_verification(false);  // self-signed, made just now
    auto r = tls.Get("/api/v1.0/health");
    REQUIRE(r);
    CHECK(r->status == 200);
    httplib::Client plain("127.0.0.1", server.port());
    plain.set_read_timeout(2, 0);
    auto refused = plain.Get("/api/v1.0/health");
    CHECK((!refused || refused->status != 200));
    server.stop();

    settings.api.tls_key_file = dir + "/cert.pem";  // not a key
    api::ApiContext bad_ctx(settings, registry, fresh_database_url(), test_auth());
    api::ApiServer bad(bad_ctx);
    CHECK_THROWS_WITH(bad.start("127.0.0.1:0"), Catch::Contains("cannot use TLS certificate"));
    std::filesystem::remove_all(dir);
}
