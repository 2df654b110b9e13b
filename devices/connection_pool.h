// A few PostgreSQL connections that a job's device threads share: each
// borrows one for a transaction (lease()) and gives it back when the lease
// goes out of scope. Connections are opened as borrowing overlaps, up to a
// bound; a thread beyond it waits for one given back. Short transactions of
// many devices in flight queue on one connection (a commit waits for its
// flush), while side by side PostgreSQL serves and flushes them together.
// A connection that broke is not lent again: the next lease opens another,
// or fails saying why.
#pragma once

#include <pqxx/connection>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace switchyard::devices {

class ConnectionPool {
public:
    // Opens a connection to the store; throws when it cannot.
    using Connect = std::function<std::unique_ptr<pqxx::connection>()>;

    // Up to `max_connections` (at least one), opened by `connect`.
    ConnectionPool(Connect connect, std::size_t max_connections);
    // `conn` only, lent to one thread at a time and never reopened.
    explicit ConnectionPool(std::unique_ptr<pqxx::connection> conn);
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // A connection borrowed for one transaction.
    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection> conn) : pool_(pool), conn_(std::move(conn)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { pool_.give_back(std::move(conn_)); }
        pqxx::connection& operator*() { return *conn_; }

    private:
        ConnectionPool& pool_;
        std::unique_ptr<pqxx::connection> conn_;
    };

    // An idle connection, else a new one while fewer than the bound are
    // open, else the first one given back. Throws when opening one fails.
    Lease lease();

private:
    void give_back(std::unique_ptr<pqxx::connection> conn);

    std::mutex mutex_;
    std::condition_variable returned_;
    Connect connect_;                                      // empty: only the connection given
    std::vector<std::unique_ptr<pqxx::connection>> idle_;  // open, not lent
    std::size_t open_ = 0;                                 // lent or idle
    const std::size_t max_connections_;
};

}  // namespace switchyard::devices
