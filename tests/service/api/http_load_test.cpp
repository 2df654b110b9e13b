// Many hostile or busy clients at once (issue 9 item 5): /health and a new
// client are answered while 128 clients trickle their headers, and while 64
// keep-alive clients keep GET /jobs busy. Under the old server both waited
// until the load stopped (one thread per connection): any number of such
// clients above api.threads (8 here) fails these tests, so they use far fewer
// than the 256 and 200, which bench/api measures on a release build.
//
// What is checked is that the answers come while the load is still there
// (the slow clients still connected, the busy ones still being served), with
// a deadline that only bounds a failing test. How fast they come (the issue's
// "within a second") is a performance figure: bench/api prints it from a
// release build.
#include "http_fixture.h"

#include <atomic>
#include <thread>

using namespace switchyard;
using namespace switchyard::testing;

namespace {

using Clock = std::chrono::steady_clock;

// Bounds a failing test only (2 loaded cores under ASan).
constexpr auto kAnswerDeadline = std::chrono::seconds(10);

// A fresh connection's request: its status (0: no answer in time).
int answer_status(int port, const std::string& raw) {
    auto start = Clock::now();
    RawClient c(port);
    REQUIRE(c.send_all(raw));
    auto r = c.read_response(kAnswerDeadline);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    INFO(raw.substr(0, raw.find(" HTTP")) << " took " << took.count() << " ms");
    CHECK(r);
    return r ? r->status : 0;
}

// Longer than /health and a new client may take on a loaded test machine,
// so that their answers come while every slow client is still connected;
// short enough to see the slow clients cut off.
void longer_header_deadline(Settings& s) { s.api.header_timeout_seconds = std::chrono::seconds(6); }
using TricklingClients = HttpFixtureWith<longer_header_deadline>;

// A busy client may wait seconds between its requests on a loaded test
// machine: it must not be taken for an idle one.
void longer_idle_deadline(Settings& s) { s.api.idle_timeout_seconds = std::chrono::seconds(120); }
using BusyClients = HttpFixtureWith<longer_idle_deadline>;

}  // namespace

TEST_CASE_METHOD(TricklingClients, "128 clients trickling headers do not stop /health or a new client",
                 "[api][http][load]") {
    constexpr std::size_t kSlow = 128;
    std::vector<RawClient> slow;
    for (std::size_t i = 0; i < kSlow; ++i) {
        slow.emplace_back(port());
        REQUIRE(slow.back().send_all("GET /api/v1.0/health HTTP/1.1\r\nHost: t\r\nX-Slow: "));
    }
    REQUIRE(wait_for([&] { return server->connections() == kSlow; }));
    // One byte per client every 100 ms: each stays just short of a header.
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        while (!stop) {
            for (auto& c : slow) c.send_all("a", std::chrono::milliseconds(10));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::string jobs = http_get("/api/v1.0/jobs?per_page=5", token("read"));
    for (int round = 0; round < 2; ++round) {
        INFO("round " << round);
        CHECK(answer_status(port(), http_get("/api/v1.0/health")) == 200);
        CHECK(answer_status(port(), jobs) == 200);
        // Answered while every slow client was still holding its connection.
        CHECK(server->connections() >= kSlow);
    }

    // The deadline is on the whole header, not per byte: every trickling
    // client is closed although it keeps sending.
    std::size_t closed = 0;
    for (auto& c : slow) closed += c.wait_closed(std::chrono::seconds(20)) ? 1 : 0;
    stop = true;
    trickle.join();
    CHECK(closed == kSlow);
    REQUIRE(wait_for([&] { return server->connections() == 0; }));
}

TEST_CASE_METHOD(BusyClients, "64 busy keep-alive clients on GET /jobs do not stop /health or a new client",
                 "[api][http][load]") {
    for (int i = 0; i < 20; ++i) enqueue("noop");
    auto read = token("read");
    const std::string request = http_get("/api/v1.0/jobs?per_page=20&sort=-id", read);
    constexpr int kClients = 64, kThreads = 4;
    std::atomic<bool> stop{false};
    std::atomic<long> answered{0}, failed{0};
    std::atomic<int> connected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            std::vector<RawClient> mine;
            for (int i = 0; i < kClients / kThreads; ++i) mine.emplace_back(port());
            connected += static_cast<int>(mine.size());
            // Each connection has one request in flight at all times.
            while (!stop) {
                for (auto& c : mine) c.send_all(request);
                for (auto& c : mine) {
                    auto r = c.read_response(std::chrono::seconds(60));
                    (r && r->status == 200 ? answered : failed)++;
                }
            }
        });
    }
    REQUIRE(wait_for([&] { return connected == kClients && answered > kClients; }, std::chrono::seconds(60)));
    std::string jobs = http_get("/api/v1.0/jobs?per_page=5", read);
    for (int round = 0; round < 2; ++round) {
        INFO("round " << round);
        CHECK(answer_status(port(), http_get("/api/v1.0/health")) == 200);
        CHECK(answer_status(port(), jobs) == 200);
        // The busy clients are still being served after these answers: they
        // came while the load went on, not once it stopped.
        long seen = answered;
        CHECK(wait_for([&] { return answered > seen + kClients / 2; }, std::chrono::seconds(30)));
    }
    CHECK(server->connections() >= static_cast<std::size_t>(kClients));  // keep-alive held throughout
    stop = true;
    for (auto& t : threads) t.join();
    CHECK(failed == 0);
}
