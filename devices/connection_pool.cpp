#include "devices/connection_pool.h"

#include <algorithm>

namespace switchyard::devices {

ConnectionPool::ConnectionPool(Connect connect, std::size_t max_connections)
    : connect_(std::move(connect)), max_connections_(std::max<std::size_t>(max_connections, 1)) {}

ConnectionPool::ConnectionPool(std::unique_ptr<pqxx::connection> conn) : max_connections_(1) {
    idle_.push_back(std::move(conn));
    open_ = 1;
}

ConnectionPool::Lease ConnectionPool::lease() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || (connect_ && open_ < max_connections_); });
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(*this, connect_());
    } catch (...) {
        give_back(nullptr);
        throw;
    }
}

void ConnectionPool::give_back(std::unique_ptr<pqxx::connection> conn) {
    {
        std::lock_guard lock(mutex_);
        // One that broke (the store went away mid-transaction) is not lent
        // again: the next lease opens another, or fails saying why.
        if (conn && (conn->is_open() || !connect_)) idle_.push_back(std::move(conn));
        else --open_;
    }
    returned_.notify_one();
}

}  // namespace switchyard::devices
