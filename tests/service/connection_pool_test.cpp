// The pool opens at most kMaxConnecting connections at once (store/database.h).
// No database: the stand-in connector never returns a connection, it only
// shows how many connects were under way together.
#include "store/database.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using switchyard::store::ConnectionPool;

namespace {

// Holds each connect until `enough` are under way at once (or `limit`
// passes), then refuses it; remembers the most seen at once.
struct HeldConnects {
    HeldConnects(int enough_at_once, std::chrono::milliseconds time_limit)
        : enough(enough_at_once), limit(time_limit) {}
    int enough;
    std::chrono::milliseconds limit;
    std::mutex mutex;
    std::condition_variable cv;
    int now = 0, most = 0, calls = 0;

    std::unique_ptr<pqxx::connection> connect(const std::string&, std::chrono::seconds) {
        std::unique_lock lock(mutex);
        ++calls;
        most = std::max(most, ++now);
        cv.notify_all();
        cv.wait_for(lock, limit, [&] { return now >= enough; });
        --now;
        throw pqxx::broken_connection("stand-in: refused");
    }
};

}  // namespace

TEST_CASE("the pool opens at most two connections at once", "[connection_pool]") {
    // Each connect waits for a third to be under way: with no limit, the four
    // borrowers' first connects are all under way together and the check
    // below fails; with the limit, each pair waits out its 300 ms.
    HeldConnects held{ConnectionPool::kMaxConnecting + 1, std::chrono::milliseconds(300)};
    ConnectionPool pool("stand-in", 4, std::chrono::seconds(10),
                        [&](const std::string& url, std::chrono::seconds t) { return held.connect(url, t); });
    std::atomic<int> refused{0};
    std::vector<std::thread> borrowers;
    for (int i = 0; i < 4; ++i)
        borrowers.emplace_back([&] {
            try {
                pool.with([](pqxx::connection&) { return 0; });
            } catch (const pqxx::broken_connection&) {
                ++refused;
            }
        });
    for (auto& t : borrowers) t.join();
    CHECK(refused == 4);
    CHECK(held.calls == 4);  // a failed connect is not tried again (with() retries only its statement)
    CHECK(held.most == ConnectionPool::kMaxConnecting);
}

TEST_CASE("a borrower waits for its turn to connect no longer than a connect may take", "[connection_pool]") {
    // Two connects hang for 8 s; the third borrower, whose connect timeout
    // is 1 s, is refused for want of a turn long before they end.
    HeldConnects held{99, std::chrono::seconds(8)};
    ConnectionPool pool("stand-in", 4, std::chrono::seconds(1),
                        [&](const std::string& url, std::chrono::seconds t) { return held.connect(url, t); });
    auto borrow = [&] {
        try {
            pool.with([](pqxx::connection&) { return 0; });
        } catch (const pqxx::broken_connection&) {
        }
    };
    std::thread first(borrow), second(borrow);
    {
        std::unique_lock lock(held.mutex);
        REQUIRE(held.cv.wait_for(lock, std::chrono::seconds(5), [&] { return held.now == 2; }));
    }
    auto started = std::chrono::steady_clock::now();
    std::string refusal;
    try {
        pool.with([](pqxx::connection&) { return 0; });
    } catch (const pqxx::broken_connection& e) {
        refusal = e.what();
    }
    auto waited = std::chrono::steady_clock::now() - started;
    CHECK_THAT(refusal, Catch::Matchers::Contains("other connections were still being opened"));
    CHECK(waited < std::chrono::seconds(5));
    {
        std::lock_guard lock(held.mutex);
        CHECK(held.calls == 2);  // the third borrower never connected
        held.enough = 0;         // let the hanging connects end
        held.cv.notify_all();
    }
    first.join();
    second.join();
}
