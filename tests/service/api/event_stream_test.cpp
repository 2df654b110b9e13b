// /events against clients that misbehave (issue 9 item 6): a subscriber that
// stops reading is disconnected once its buffer overflows, without spinning;
// a stream ends when its token expires.
#include "http_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// Reads until `what` arrived (or the deadline passed); returns all read.
std::string read_until(RawClient& c, const std::string& what, std::chrono::seconds limit = std::chrono::seconds(20)) {
    std::string got;
    auto until = std::chrono::steady_clock::now() + limit;
    while (got.find(what) == std::string::npos && std::chrono::steady_clock::now() < until)
        got += c.read_some(std::chrono::milliseconds(200));
    return got;
}

// Far beyond the test's deadline: only the overflow can end the stream.
void slow_writes(Settings& s) { s.api.write_timeout_seconds = std::chrono::seconds(600); }
using StalledStream = HttpFixtureWith<slow_writes>;

}  // namespace

TEST_CASE_METHOD(StalledStream, "a subscriber that stops reading is ended when its buffer overflows", "[api][events]") {
    RawClient stalled(port(), 4096);
    REQUIRE(stalled.send_all(http_get("/api/v1.0/events", token("read"))));
    REQUIRE(read_until(stalled, ": subscribed").find("text/event-stream") != std::string::npos);
    REQUIRE(ctx->events.subscribers() == 1);

    // It reads nothing more while events pour in: the socket buffers fill,
    // the server's write stalls, then the hub's buffer (64 KiB) overflows.
    const std::string payload =
        R"({"jobs": [{"id": 1, "status": "RUNNING", "pad": ")" + std::string(4000, 'x') + "\"}]}";
    std::size_t published = 0;
    bool ended = wait_for(
        [&] {
            for (int i = 0; i < 50; ++i, ++published) ctx->events.publish({"jobs", payload});
            return ctx->events.subscribers() == 0;
        },
        std::chrono::seconds(60));
    INFO(published << " events published");
    REQUIRE(ended);
    CHECK(published * payload.size() < 512u << 20);

    std::string rest;
    CHECK(stalled.wait_closed(std::chrono::seconds(30), &rest));
    // What it gets is events, not a spin of keepalives.
    CHECK(occurrences(rest, ": keepalive") <= 1);
    REQUIRE(wait_for([&] { return server->connections() == 0; }));
    CHECK(request(http_get("/api/v1.0/health")).status == 200);
}

TEST_CASE_METHOD(HttpFixture, "an event stream ends when its token expires", "[api][events]") {
    RawClient c(port());
    REQUIRE(c.send_all(http_get("/api/v1.0/events", token("read", "tester", std::chrono::seconds(2)))));
    std::string got = read_until(c, "event: end");
    CHECK(got.find(": subscribed") != std::string::npos);
    CHECK(got.find("event: end\ndata: {\"reason\":\"token expired\"}") != std::string::npos);
    CHECK(c.wait_closed(std::chrono::seconds(10), &got));
    REQUIRE(wait_for([&] { return ctx->events.subscribers() == 0; }));

    // An expired token opens nothing.
    auto late = token("read", "tester", std::chrono::seconds(1));
    REQUIRE(wait_for([&] { return request(http_get("/api/v1.0/events", late)).status == 401; }));
}

TEST_CASE_METHOD(HttpFixture, "events reach a reading subscriber, filtered by job", "[api][events]") {
    RawClient c(port());
    REQUIRE(c.send_all(http_get("/api/v1.0/events?job_id=7", token("read"))));
    read_until(c, ": subscribed");
    ctx->events.publish({"jobs", R"({"jobs": [{"id": 6, "status": "RUNNING"}]})"});
    ctx->events.publish({"locks", R"({"locks": [{"name": "devices"}]})"});
    ctx->events.publish({"jobs", R"({"jobs": [{"id": 7, "status": "FINISHED"}, {"id": 8}]})"});
    std::string got = read_until(c, "FINISHED");
    CHECK(got.find("event: jobs\ndata: {\"jobs\":[{\"id\":7,\"status\":\"FINISHED\"}]}") != std::string::npos);
    CHECK(got.find("\"id\":6") == std::string::npos);
    CHECK(got.find("devices") == std::string::npos);
}
