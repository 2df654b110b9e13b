#include "database.h"

#include <condition_variable>
#include <optional>

namespace switchyard::store {

std::unique_ptr<pqxx::connection> connect(const std::string& url, std::chrono::seconds connect_timeout) {
    std::string extra = "connect_timeout=" + std::to_string(connect_timeout.count()) +
                        "&keepalives=1&keepalives_idle=10&keepalives_interval=5&keepalives_count=3"
                        "&application_name=switchyard";
    std::string full;
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        full = url + (url.find('?') == std::string::npos ? "?" : "&") + extra;
    } else {
        full = url;
        for (char& c : extra)
            if (c == '&') c = ' ';
        full += " " + extra;
    }
    return std::make_unique<pqxx::connection>(full);
}

bool is_connection_error(const std::exception& e) {
    if (dynamic_cast<const pqxx::broken_connection*>(&e)) return true;
    if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) return true;
    if (auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&e)) {
        const std::string& state = sql_error->sqlstate();
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now,
        // class 08 connection exceptions.
        return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03";
    }
    return false;
}

ConnectionPool::ConnectionPool(std::string url, int size, std::chrono::seconds connect_timeout, Connector connect)
    : url_(std::move(url)),
      connect_timeout_(connect_timeout),
      connect_(connect ? std::move(connect) : Connector(store::connect)),
      free_slots_(size) {}

std::unique_ptr<pqxx::connection> ConnectionPool::borrow() {
    std::unique_lock lock(mutex_);
    // Set once this borrower waits only for a turn to connect: it then waits
    // no longer than a connect of its own could have taken, so that a
    // database that does not answer fails a request in bounded time.
    std::optional<std::chrono::steady_clock::time_point> turn_by;
    for (;;) {
        if (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            if (conn->is_open()) return conn;
            ++free_slots_;
            continue;
        }
        if (free_slots_ > 0 && connecting_ < kMaxConnecting) break;
        if (free_slots_ == 0) {
            turn_by.reset();
            available_.wait(lock);
            continue;
        }
        if (!turn_by) turn_by = std::chrono::steady_clock::now() + connect_timeout_;
        if (available_.wait_until(lock, *turn_by) == std::cv_status::timeout && idle_.empty() &&
            connecting_ >= kMaxConnecting)
            throw pqxx::broken_connection("no database connection within " + std::to_string(connect_timeout_.count()) +
                                          " s: other connections were still being opened");
    }
    --free_slots_;
    ++connecting_;
    lock.unlock();
    std::unique_ptr<pqxx::connection> conn;
    try {
        conn = connect_(url_, connect_timeout_);
    } catch (...) {
        lock.lock();
        ++free_slots_;
        --connecting_;
        available_.notify_all();
        throw;
    }
    lock.lock();
    --connecting_;
    // Waiters differ in what they wait for (a connection, a slot, a turn).
    available_.notify_all();
    return conn;
}

void ConnectionPool::give_back(std::unique_ptr<pqxx::connection> conn) {
    std::lock_guard lock(mutex_);
    if (conn && conn->is_open()) idle_.push_back(std::move(conn));
    else ++free_slots_;
    available_.notify_one();
}

}  // namespace switchyard::store
