#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "devices/device_fanout.h"
#include "devices/errors.h"

using namespace switchyard::devices;
using namespace std::chrono_literals;

namespace {

// Blocks until the stop token fires (or a generous safety limit passes).
void wait_for_stop(const std::stop_token& stop, std::chrono::milliseconds limit = 20s) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait_for(lock, stop, limit, [] { return false; });
}

}  // namespace

TEST_CASE("every device runs once and outcomes keep the input order", "[devices][fanout]") {
    DeviceFanout pool;
    std::atomic<int> calls = 0;
    std::vector<std::size_t> reported;
    pool.run(
        200, [&](std::size_t, DeviceContext&) { ++calls; },
        [&](std::size_t i, const DeviceOutcome& o) {
            CHECK(o.ok);
            CHECK(o.attempts == 1);
            reported.push_back(i);
        });
    CHECK(calls == 200);
    std::sort(reported.begin(), reported.end());
    REQUIRE(reported.size() == 200);
    for (std::size_t i = 0; i < reported.size(); ++i) CHECK(reported[i] == i);
    auto out = pool.collect(3, [&](std::size_t i, DeviceContext&) {
        if (i == 1) throw std::runtime_error("one");
    });
    REQUIRE(out.size() == 3);
    CHECK(out[0].ok);
    CHECK(out[1].error == "one");
    CHECK(out[2].ok);
}

// The last device of a run passes its deadline and ignores its stop token:
// run() reports it while it still sleeps, and its slot must outlive that
// report until its thread lets go (under ASan, a slot freed early is a
// use-after-free as the thread wakes).
TEST_CASE("a device past its deadline keeps its slot until its thread lets go", "[devices][fanout]") {
    FanoutOptions opt;
    opt.deadline = 50ms;
    DeviceFanout pool(opt);
    std::atomic<bool> returned = false;
    auto out = pool.collect(1, [&](std::size_t, DeviceContext&) {
        std::this_thread::sleep_for(300ms);  // ignores the stop token
        returned = true;
    });
    CHECK(out[0].timed_out);
    CHECK(returned);  // run() joined it before returning
}

// Issue 16: a fleet's fan-out holds the devices in flight and those waiting
// for on_done, not one entry per device of the fleet.
TEST_CASE("the fan-out holds state for the devices in flight, not for the fleet", "[devices][fanout]") {
    FanoutOptions opt;
    opt.concurrency = 4;
    DeviceFanout pool(opt);
    std::size_t done = 0;
    pool.run(
        2000, [](std::size_t, DeviceContext&) {}, [&](std::size_t, const DeviceOutcome&) { ++done; });
    CHECK(done == 2000);
    CHECK(pool.peak_held() >= 1);
    CHECK(pool.peak_held() <= 2 * opt.concurrency);
}

TEST_CASE("no more than `concurrency` devices are in flight", "[devices][fanout]") {
    FanoutOptions opt;
    opt.concurrency = 4;
    DeviceFanout pool(opt);
    std::mutex m;
    std::condition_variable cv;
    int current = 0, peak = 0;
    bool reached = false;
    pool.collect(20, [&](std::size_t, DeviceContext&) {
        std::unique_lock lock(m);
        peak = std::max(peak, ++current);
        if (current == 4) reached = true;
        cv.notify_all();
        // Hold the slot until four run together: proves the cap is reached
        // without relying on timing.
        cv.wait_for(lock, 10s, [&] { return reached; });
        --current;
    });
    CHECK(reached);
    CHECK(peak == 4);
    CHECK(pool.peak_in_flight() == 4);
}

TEST_CASE("a hanging device times out at its deadline and does not hold the others", "[devices][fanout]") {
    FanoutOptions opt;
    opt.concurrency = 2;
    opt.deadline = 300ms;
    DeviceFanout pool(opt);
    auto start = std::chrono::steady_clock::now();
    auto out = pool.collect(10, [&](std::size_t i, DeviceContext& ctx) {
        if (i == 0) wait_for_stop(ctx.stop);  // cooperative hang: returns when stopped
    });
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(out[0].timed_out);
    CHECK_FALSE(out[0].ok);
    CHECK(out[0].error.find("deadline of 300 ms exceeded") != std::string::npos);
    CHECK(out[0].duration >= 300ms);
    for (std::size_t i = 1; i < out.size(); ++i) CHECK(out[i].ok);
    CHECK(took < 10s);  // generous: only the deadline itself is waited for
}

TEST_CASE("a device that ignores its stop token still frees its slot at the deadline", "[devices][fanout]") {
    FanoutOptions opt;
    opt.concurrency = 1;
    opt.deadline = 100ms;
    DeviceFanout pool(opt);
    std::atomic<bool> hung_returned = false;
    std::atomic<int> others_before_hung_returned = 0;
    bool first_timed_out = false;
    pool.run(
        5,
        [&](std::size_t i, DeviceContext&) {
            if (i == 0) {
                std::this_thread::sleep_for(1500ms);  // ignores the stop token
                hung_returned = true;
            }
        },
        [&](std::size_t i, const DeviceOutcome& o) {
            if (i == 0) first_timed_out = o.timed_out;
            if (i != 0 && !hung_returned) ++others_before_hung_returned;
        });
    CHECK(first_timed_out);
    CHECK(others_before_hung_returned == 4);  // with one slot, they ran while device 0 still hung
    CHECK(hung_returned);                     // run() joined it before returning
}

TEST_CASE("transient failures are retried, others are not", "[devices][fanout]") {
    FanoutOptions opt;
    opt.max_attempts = 3;
    opt.retry_backoff = 1ms;
    DeviceFanout pool(opt);
    std::vector<std::atomic<int>> tries(4);
    // Catch2 2's assertions are not thread-safe: workers count, the test checks.
    std::atomic<int> wrong_attempt_numbers = 0;
    auto out = pool.collect(4, [&](std::size_t i, DeviceContext& ctx) {
        int n = ++tries[i];
        if (ctx.attempt != n) ++wrong_attempt_numbers;
        if (i == 0 && n < 3) throw TransientError("connect failed: Connection refused");
        if (i == 1) throw TransientError("connect failed: Connection refused (try " + std::to_string(n) + ")");
        if (i == 2) throw AuthError("authentication failed");
    });
    CHECK(wrong_attempt_numbers == 0);
    CHECK(out[0].ok);
    CHECK(out[0].attempts == 3);
    CHECK_FALSE(out[1].ok);
    CHECK(out[1].attempts == 3);
    CHECK(out[1].error == "connect failed: Connection refused (try 3)");
    CHECK_FALSE(out[2].ok);
    CHECK(out[2].attempts == 1);
    CHECK(out[2].error == "authentication failed");
    CHECK(out[3].ok);
    CHECK(out[3].attempts == 1);
}

TEST_CASE("the retry backoff is cut short by the deadline", "[devices][fanout]") {
    FanoutOptions opt;
    opt.max_attempts = 5;
    opt.retry_backoff = 10s;
    opt.deadline = 200ms;
    DeviceFanout pool(opt);
    auto start = std::chrono::steady_clock::now();
    auto out = pool.collect(1, [](std::size_t, DeviceContext&) { throw TransientError("refused"); });
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK(out[0].timed_out);
    CHECK(out[0].error.find("previous attempt: refused") != std::string::npos);
}

TEST_CASE("a stopped run starts no further devices", "[devices][fanout]") {
    FanoutOptions opt;
    opt.concurrency = 1;
    DeviceFanout pool(opt);
    std::stop_source cancel;
    std::atomic<int> ran = 0;
    auto out = pool.collect(
        10,
        [&](std::size_t i, DeviceContext&) {
            ++ran;
            if (i == 2) cancel.request_stop();
        },
        cancel.get_token());
    CHECK(ran == 3);
    CHECK(out[2].ok);
    CHECK_FALSE(out[3].started);
    CHECK(out[9].error == "not started: the run was stopped");
}

// A slow on_done (a sync writing a batch of texts to PostgreSQL) must not
// leave slots empty meanwhile: a device that ends while on_done runs is
// replaced at once. Concurrency 3: d0 ends at once and its on_done waits;
// d1 ends once that on_done has begun, and d4 must start in its place
// before that on_done returns (the calling thread used to start devices
// between its on_done calls, so it waited the whole 10 s here).
namespace {
// A fan-out, and the count of devices started that its tasks and on_done
// share under m.
struct SharedCount {
    explicit SharedCount(std::size_t concurrency) : pool(FanoutOptions{.concurrency = concurrency}) {}
    DeviceFanout pool;
    std::mutex m;
    std::condition_variable cv;
    int started = 0;
};
}  // namespace

TEST_CASE("a device ending while on_done runs is replaced before on_done returns", "[devices][fanout]") {
    SharedCount c(3);
    auto& [pool, m, cv, started] = c;
    bool in_first_on_done = false, released = false, replaced = false;
    pool.run(
        8,
        [&](std::size_t i, DeviceContext&) {
            std::unique_lock lock(m);
            ++started;
            cv.notify_all();
            if (i == 1) cv.wait_for(lock, 10s, [&] { return in_first_on_done; });
            if (i == 2 || i == 3) cv.wait_for(lock, 10s, [&] { return released; });
        },
        [&](std::size_t i, const DeviceOutcome&) {
            if (i != 0) return;
            std::unique_lock lock(m);
            in_first_on_done = true;
            cv.notify_all();
            replaced = cv.wait_for(lock, 10s, [&] { return started >= 5; });
            released = true;
            cv.notify_all();
        });
    CHECK(replaced);
}

// What a finished device holds (a sync's texts) is let go in on_done, so
// devices waiting for it count against a bound: while on_done is stuck, no
// device starts once `concurrency` wait to be reported, and at most
// 2 x concurrency are held at once (those, and the ones still running).
TEST_CASE("devices waiting for on_done hold back new starts", "[devices][fanout]") {
    SharedCount c(2);
    auto& [pool, m, cv, started] = c;
    bool more = false;
    pool.run(
        10,
        [&](std::size_t, DeviceContext&) {
            std::lock_guard lock(m);
            ++started;
            cv.notify_all();
        },
        [&](std::size_t i, const DeviceOutcome&) {
            if (i != 0) return;
            std::unique_lock lock(m);
            // Without the bound the other eight run within this wait (it
            // cannot make a bounded fan-out fail).
            more = cv.wait_for(lock, 300ms, [&] { return started > 4; });
        });
    CHECK_FALSE(more);
}
