#include "database.h"

#include <condition_variable>

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

ConnectionPool::ConnectionPool(std::string url, int size, std::chrono::seconds connect_timeout)
    : url_(std::move(url)), connect_timeout_(connect_timeout), free_slots_(size) {}

std::unique_ptr<pqxx::connection> ConnectionPool::borrow() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || free_slots_ > 0; });
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        if (conn->is_open()) return conn;
        ++free_slots_;
    }
    --free_slots_;
    lock.unlock();
    try {
        return connect(url_, connect_timeout_);
    } catch (...) {
        std::lock_guard again(mutex_);
        ++free_slots_;
        available_.notify_one();
        throw;
    }
}

void ConnectionPool::give_back(std::unique_ptr<pqxx::connection> conn) {
    std::lock_guard lock(mutex_);
    if (conn && conn->is_open()) idle_.push_back(std::move(conn));
    else ++free_slots_;
    available_.notify_one();
}

}  // namespace switchyard::store
