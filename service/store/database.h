// Connections to PostgreSQL. The statements are typed functions generated
// from service/sql (store/queries.h, see sqlgen/sqlgen.cpp).
#pragma once

#include <spdlog/spdlog.h>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::store {

// Opens a connection with a connect timeout and TCP keepalives added to the
// URL, so a vanished server is noticed. Throws pqxx::broken_connection.
std::unique_ptr<pqxx::connection> connect(const std::string& url, std::chrono::seconds connect_timeout);

// True when the error means the connection is gone (server restart, network)
// rather than a problem with the statement: the caller reconnects and retries.
bool is_connection_error(const std::exception& e);

// Runs body(conn) on a connection of its own until it returns; after any
// error (a lost connection, or anything else, which is logged) it reconnects
// with a backoff of 50 ms doubling to 2 s. `pause(backoff)` waits and returns
// true when the caller is stopping, which ends the loop.
template <typename Body, typename Pause>
void run_connected(const std::string& url, std::chrono::seconds connect_timeout, const char* what, Body body,
                   Pause pause) {
    int backoff_ms = 50;
    for (;;) {
        try {
            auto conn = connect(url, connect_timeout);
            backoff_ms = 50;
            body(*conn);
            return;
        } catch (const std::exception& e) {
            if (is_connection_error(e)) spdlog::warn("{}: database connection lost ({}); reconnecting", what, e.what());
            else spdlog::error("{}: {}", what, e.what());
        }
        if (pause(std::chrono::milliseconds(backoff_ms))) return;
        backoff_ms = std::min(backoff_ms * 2, 2000);
    }
}

// A small pool of connections for short statements from many threads (job
// contexts taking locks, CLI and API reads). Connections open on first need;
// broken ones are replaced on the next borrow.
//
// At most kMaxConnecting connections are being opened at once, and a borrower
// waiting for its turn to open one takes any connection given back first.
// PostgreSQL starts a process for every connection: 56 API clients arriving
// at once on a cold pool (bench/api, 64 connections) made 56 connects at once,
// each slower than the connect timeout on 2 cores, and 41 requests failed
// with 503 where a handful of connections served them all.
class ConnectionPool {
public:
    // Opens connections with `connect` (store::connect; a test's stand-in).
    using Connector = std::function<std::unique_ptr<pqxx::connection>(const std::string&, std::chrono::seconds)>;
    static constexpr int kMaxConnecting = 2;

    ConnectionPool(std::string url, int size, std::chrono::seconds connect_timeout, Connector connect = {});

    // Runs fn with a connection; on a connection error reconnects and runs it
    // once more. Other errors propagate.
    template <typename Fn>
    auto with(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>())) {
        for (int attempt = 0;; ++attempt) {
            auto conn = borrow();
            try {
                auto guard = Returner{this, &conn};
                return fn(*conn);
            } catch (const std::exception& e) {
                if (attempt > 0 || !is_connection_error(e)) throw;
                conn.reset();
            }
        }
    }

private:
    struct Returner {
        ConnectionPool* pool;
        std::unique_ptr<pqxx::connection>* conn;
        ~Returner() { pool->give_back(std::move(*conn)); }
    };
    std::unique_ptr<pqxx::connection> borrow();
    void give_back(std::unique_ptr<pqxx::connection> conn);

    std::string url_;
    std::chrono::seconds connect_timeout_;
    Connector connect_;
    std::mutex mutex_;
    std::condition_variable available_;  // a connection given back, a slot or a turn to connect freed
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    int free_slots_;      // connections that may still be opened
    int connecting_ = 0;  // being opened now
};

}  // namespace switchyard::store
