// Hostile clients on raw sockets, one request each (issue 9 item 5): bodies
// refused before they are read, header size and count, deadlines on the
// header, the body and idle connections, 415, numeric ranges, NUL, deep JSON.
#include "http_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

const std::string kChunkedPostHead =
    "POST /api/v1.0/device HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n";

std::string message(const json& j) { return j.value("message", ""); }

}  // namespace

TEST_CASE_METHOD(HttpFixture, "a 150 MiB chunked body without a token is refused before any of it is read",
                 "[api][http][limits]") {
    RawClient c(port());
    REQUIRE(c.send_all(kChunkedPostHead + "\r\n"));
    // Not one body byte has been sent: the answer comes from the header alone.
    auto r = c.read_response(std::chrono::seconds(10));
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(r->has_header("Connection: close"));

    long before = resident_kib();
    const std::string chunk = "100000\r\n" + std::string(1 << 20, '[') + "\r\n";  // 1 MiB
    std::size_t sent = 0;
    for (int i = 0; i < 150; ++i)
        if (!c.send_all(chunk, std::chrono::seconds(5), &sent)) break;
    INFO("the client got " << sent << " bytes out before the server closed");
    CHECK(sent < 32u << 20);  // socket buffers and a short linger, not the body
    CHECK(c.wait_closed(std::chrono::seconds(10)));
    CHECK(resident_kib() - before < 16 * 1024);
}

TEST_CASE_METHOD(HttpFixture, "bodies over the limit: 413 from Content-Length unread, chunked bounded",
                 "[api][http][limits]") {
    auto admin = token("admin");
    RawClient announced(port());
    REQUIRE(announced.send_all("POST /api/v1.0/device HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + admin +
                               "\r\nContent-Type: application/json\r\nContent-Length: 157286400\r\n\r\n"));
    auto r = announced.read_response(std::chrono::seconds(10));
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(message(body(*r)).find("larger than 65536 bytes") != std::string::npos);

    RawClient chunked(port());
    REQUIRE(chunked.send_all(kChunkedPostHead + "Authorization: Bearer " + admin + "\r\n\r\n"));
    const std::string chunk = "4000\r\n" + std::string(0x4000, ' ') + "\r\n";  // 16 KiB
    std::size_t sent = 0;
    for (int i = 0; i < 64; ++i)
        if (!chunked.send_all(chunk, std::chrono::seconds(5), &sent)) break;
    auto c = chunked.read_response(std::chrono::seconds(10));
    REQUIRE(c);
    CHECK(c->status == 413);
}

TEST_CASE_METHOD(HttpFixture, "oversized headers, too many fields and malformed requests are refused",
                 "[api][http][limits]") {
    auto big = request("GET /api/v1.0/health HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    CHECK(big.status == 431);
    CHECK(message(body(big)).find("larger than 16384 bytes") != std::string::npos);

    std::string many = "GET /api/v1.0/health HTTP/1.1\r\nHost: t\r\n";
    for (int i = 0; i < 150; ++i) many += "X-F" + std::to_string(i) + ": v\r\n";
    auto fields = request(many + "\r\n");
    CHECK(fields.status == 431);
    CHECK(message(body(fields)).find("more than 100 header fields") != std::string::npos);

    CHECK(request("GET /api/v1.0/jobs?x=" + std::string(30000, 'y') + " HTTP/1.1\r\nHost: t\r\n\r\n").status == 431);
    CHECK(request("HELLO\r\n\r\n").status == 400);
    CHECK(request("GET /api/v1.0/health HTTP/9.9\r\nHost: t\r\n\r\n").status == 400);
    CHECK(
        request("GET /api/v1.0/health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n").status ==
        400);
    auto patch = request("PATCH /api/v1.0/jobs HTTP/1.1\r\nHost: t\r\n\r\n");
    CHECK(patch.status == 405);
    CHECK(patch.has_header("Allow: GET"));
    CHECK(request(http_get("/api/v1.0/health")).status == 200);  // still serving
}

TEST_CASE_METHOD(HttpFixture, "the header, the body and idle connections each have a deadline", "[api][http][limits]") {
    // A header trickled a byte at a time never completes: the deadline is
    // for the whole header (2 s here), not per byte.
    RawClient slow(port());
    REQUIRE(slow.send_all("GET /api/v1.0/health HTTP/1.1\r\nX-Slow: "));
    auto start = RawClient::Clock::now();
    bool closed = false;
    while (!closed && RawClient::Clock::now() - start < std::chrono::seconds(20)) {
        if (!slow.send_all("a", std::chrono::seconds(1))) break;
        closed = slow.wait_closed(std::chrono::milliseconds(200));
    }
    // Cut off while it was still sending: with a deadline per byte it would
    // trickle until this loop gave up, and be closed only after that.
    CHECK(RawClient::Clock::now() - start < std::chrono::seconds(20));
    CHECK((closed || slow.wait_closed(std::chrono::seconds(5))));

    // The whole header and half the body (the first 150 bytes of the
    // request ended inside the token: a second header deadline test).
    RawClient half_body(port());
    std::string abort_body = R"({"action": "ABORT"})";
    std::string whole = http_with_body("PUT", "/api/v1.0/job/1", token("operator"), "application/json", abort_body);
    REQUIRE(whole.find("\r\n\r\n") < whole.size() - abort_body.size() / 2);
    REQUIRE(half_body.send_all(whole.substr(0, whole.size() - abort_body.size() / 2)));
    CHECK(half_body.wait_closed(std::chrono::seconds(20)));

    RawClient idle(port());
    REQUIRE(idle.send_all(http_get("/api/v1.0/health")));
    REQUIRE(idle.read_response());
    CHECK(idle.wait_closed(std::chrono::seconds(20)));  // idle_timeout_seconds = 3
}

TEST_CASE_METHOD(HttpFixture, "keep-alive, pipelining and 100-continue", "[api][http]") {
    RawClient c(port());
    REQUIRE(c.send_all(http_get("/api/v1.0/health") + http_get("/api/v1.0/nowhere")));
    auto first = c.read_response(), second = c.read_response();
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->status == 200);
    CHECK(second->status == 404);
    CHECK(message(body(*second)) == "no such route: /api/v1.0/nowhere");

    std::string body_text = R"({"name": "none"})";
    std::string head = "DELETE /api/v1.0/joblocks HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token("admin") +
                       "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                       std::to_string(body_text.size()) + "\r\n\r\n";
    REQUIRE(c.send_all(head));
    auto interim = c.read_some(std::chrono::seconds(10));
    CHECK(interim == "HTTP/1.1 100 Continue\r\n\r\n");
    REQUIRE(c.send_all(body_text));
    auto deleted = c.read_response();
    REQUIRE(deleted);
    CHECK(deleted->status == 404);  // no such lock: the body was read and used

    RawClient refused(port());
    REQUIRE(
        refused.send_all("DELETE /api/v1.0/joblocks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                         "Expect: 100-continue\r\nContent-Length: 16\r\n\r\n"));
    auto unauthorized = refused.read_response();
    REQUIRE(unauthorized);
    CHECK(unauthorized->status == 401);  // no 100 first: the body is not wanted
}

TEST_CASE_METHOD(HttpFixture, "a body that is not JSON gets 415 naming JSON; GET takes no body",
                 "[api][http][limits]") {
    auto form = request(http_with_body("POST", "/api/v1.0/device", token("admin"), "application/x-www-form-urlencoded",
                                       "hostname=r1&management_ip=192.0.2.1"));
    CHECK(form.status == 415);
    CHECK(message(body(form)).find("application/json") != std::string::npos);
    CHECK(
        request(http_with_body("POST", "/api/v1.0/device_syncto", token("operator"), "", R"({"all": true})")).status ==
        415);
    CHECK(request(http_with_body("PUT", "/api/v1.0/job/1", token("operator"), "text/plain", "ABORT")).status == 415);
    // Authentication comes first: no token, no hint about the body.
    CHECK(request(http_with_body("POST", "/api/v1.0/device", "", "text/plain", "x")).status == 401);
    CHECK(request(http_with_body("POST", "/api/v1.0/device", token("admin"), "application/json; charset=utf-8", "[]"))
              .status == 400);
    CHECK(request(http_with_body("GET", "/api/v1.0/jobs", token("read"), "application/json", "{}")).status == 400);
}

TEST_CASE_METHOD(HttpFixture, "numbers out of a field's range are 400, never 500", "[api][http][limits]") {
    for (int i = 0; i < 3; ++i) enqueue("noop");
    auto read = token("read");
    for (std::string query :
         {"filter[change_score]=9999999999", "filter[priority]=99999999999", "filter[change_score]=-1",
          "filter[change_score]=101", "filter[priority]=2147483648", "filter[id]=99999999999999999999",
          "filter[next_job_id]=-5", "filter[id]=0", "page=99999999999", "per_page=1e3", "filter[change_score]=%2B5"}) {
        auto r = request(http_get("/api/v1.0/jobs?" + query, read));
        INFO(query << ": " << r.body);
        CHECK(r.status == 400);
    }
    for (std::string query : {"filter[change_score]=100", "filter[priority]=1", "filter[id]=9223372036854775807",
                              "filter[next_job_id]=2"}) {
        auto r = request(http_get("/api/v1.0/jobs?" + query, read));
        INFO(query << ": " << r.body);
        CHECK(r.status == 200);
    }
    // The same in a path and in other routes' queries: the largest id is a
    // job not found, one beyond it the client's error.
    for (auto [path, status] : {std::pair{"/api/v1.0/job/99999999999999999999", 400},
                                {"/api/v1.0/job/9223372036854775807", 404},
                                {"/api/v1.0/events?job_id=99999999999999999999", 400},
                                {"/api/v1.0/device/r1/configs?page=99999999999", 400}}) {
        INFO(path);
        CHECK(request(http_get(path, read)).status == status);
    }
}

TEST_CASE_METHOD(HttpFixture, "a NUL anywhere in a request is 400, never 500", "[api][http][limits]") {
    auto admin = token("admin");
    auto post = [&](const std::string& path, const std::string& body_text, const std::string& method = "POST") {
        return request(http_with_body(method, path, admin, "application/json", body_text));
    };
    REQUIRE(post("/api/v1.0/device", R"({"hostname": "r1", "management_ip": "192.0.2.1", "platform": "frr"})").status ==
            201);
    for (auto& [path, body_text, method] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"/api/v1.0/device",
              R"({"hostname": "r2", "management_ip": "192.0.2.2", "platform": "frr", "groups": ["a\u0000b"]})", "POST"},
             {"/api/v1.0/device", R"({"hostname": "r2\u0000", "management_ip": "192.0.2.2", "platform": "frr"})",
              "POST"},
             {"/api/v1.0/device",
              R"({"hostname": "r2", "management_ip": "192.0.2.2", "platform": "frr", "x\u0000": 1})", "POST"},
             {"/api/v1.0/device/r1", R"({"groups": ["\u0000"]})", "PUT"},
             {"/api/v1.0/joblocks", R"({"name": "devices\u0000"})", "DELETE"},
             {"/api/v1.0/device_syncto", R"({"all": true, "comment": "a\u0000"})", "POST"},
             {"/api/v1.0/job/1", R"({"action": "ABORT", "abort_reason": "\u0000"})", "PUT"}}) {
        auto r = post(path, body_text, method);
        INFO(method << " " << path << " " << body_text << ": " << r.body);
        CHECK(r.status == 400);
        CHECK(message(body(r)).find("NUL") != std::string::npos);
    }
    auto read = token("read");
    for (auto path : {"/api/v1.0/devices?filter[group]=a%00b", "/api/v1.0/device/r%001",
                      "/api/v1.0/jobs?filter[comment]=%00", "/api/v1.0/jobs?filter%00=1"}) {
        INFO(path);
        CHECK(request(http_get(path, read)).status == 400);
    }
    CHECK(request(http_get("/api/v1.0/devices", read)).status == 200);
}

TEST_CASE_METHOD(HttpFixture, "deeply nested JSON is 400 and the process lives on", "[api][http][limits]") {
    auto admin = token("admin");
    std::string arrays = std::string(30000, '[') + std::string(30000, ']');  // under the 64 KiB limit here
    std::string objects;
    for (int i = 0; i < 5000; ++i) objects += "{\"a\":";
    objects += "1" + std::string(5000, '}');
    for (auto& deep : {arrays, objects, R"({"hostname": )" + arrays + "}"}) {
        for (auto path : {"/api/v1.0/device", "/api/v1.0/device_syncto"}) {
            auto r = request(http_with_body("POST", path, admin, "application/json", deep));
            INFO(path);
            CHECK(r.status == 400);
            CHECK(message(body(r)).find("nested deeper than 32 levels") != std::string::npos);
        }
    }
    std::string fine = R"({"hostname": "r3", "management_ip": "192.0.2.3", "platform": "frr", "groups": [[[["x"]]]]})";
    CHECK(request(http_with_body("POST", "/api/v1.0/device", admin, "application/json", fine)).status == 400);
    CHECK(request(http_get("/api/v1.0/health")).status == 200);
}
