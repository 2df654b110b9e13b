// GET /health against a database that stops answering: it must still answer,
// 503, within its deadline (database.connect_timeout_seconds, 5 s here), not
// hang with the database. The database "stops" by a SIGSTOP to the backend
// serving /health's own connection: the kernel keeps the TCP connection
// alive, so only a deadline on our side ends the wait.
#include "http_fixture.h"

#include <csignal>

using namespace switchyard;
using namespace switchyard::testing;

namespace {

// The server process behind /health's connection (its last statement was
// the ping, store/sql/metrics/ping.sql).
int health_backend(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    auto rows = tx.exec(
        "SELECT pid FROM pg_stat_activity WHERE query LIKE '%GET /health: the database answers%' "
        "AND pid <> pg_backend_pid()");
    return rows.size() == 1 ? rows[0][0].as<int>() : 0;
}

// Stops a process while in scope (resumed however the test ends).
struct Stopped {
    int pid;
    explicit Stopped(int p) : pid(p) { ::kill(pid, SIGSTOP); }
    ~Stopped() { resume(); }
    void resume() {
        if (pid > 0) ::kill(pid, SIGCONT);
        pid = 0;
    }
};

}  // namespace

TEST_CASE_METHOD(HttpFixture, "/health answers 503 in bounded time when the database stops answering",
                 "[api][http][health]") {
    REQUIRE(request(http_get("/api/v1.0/health")).status == 200);
    int pid = health_backend(*conn);
    REQUIRE(pid > 0);
    Stopped frozen(pid);

    for (int round = 0; round < 2; ++round) {
        // The first waits out the deadline; the second comes while that
        // check still hangs and is answered at once. Either way well within
        // the 20 s the client waits (a hang fails here).
        INFO("round " << round);
        auto start = RawClient::Clock::now();
        auto r = request(http_get("/api/v1.0/health"));
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(RawClient::Clock::now() - start);
        INFO("answered in " << took.count() << " ms");
        CHECK(r.status == 503);
        CHECK(body(r)["data"]["database"] == "unreachable");
        CHECK(took < std::chrono::seconds(15));
    }

    frozen.resume();
    CHECK(wait_for([&] { return request(http_get("/api/v1.0/health")).status == 200; }, std::chrono::seconds(30)));
}
