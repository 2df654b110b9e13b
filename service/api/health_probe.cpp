#include "health_probe.h"

#include "store/database.h"
#include "store/queries.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace switchyard::api {

using Clock = std::chrono::steady_clock;

struct HealthProbe::State {
    State(std::string url, std::chrono::seconds d) : connection(std::move(url), 1, d), deadline(d) {}

    // One connection, reopened after a failure (ConnectionPool::with
    // reconnects and retries once on a connection error).
    store::ConnectionPool connection;
    const std::chrono::seconds deadline;

    std::mutex mutex;
    std::condition_variable wake;  // to the checking thread: a check is asked for, or stop
    std::condition_variable done;  // to callers: a check ended
    std::uint64_t asked = 0;       // checks asked for
    std::uint64_t answered = 0;    // the last ask the last ended check covers
    bool ok = false;               // its outcome
    std::optional<Clock::time_point> checking_since;
    bool stopping = false;

    bool ping() {
        try {
            return connection.with([](pqxx::connection& conn) {
                pqxx::nontransaction tx(conn);
                return store::sql::metrics::ping(tx).ok == 1;
            });
        } catch (const std::exception&) {
            return false;
        }
    }

    void run() {
        std::unique_lock lock(mutex);
        for (;;) {
            wake.wait(lock, [&] { return stopping || asked > answered; });
            if (stopping) return;
            std::uint64_t covering = asked;
            checking_since = Clock::now();
            lock.unlock();
            bool answer = ping();
            lock.lock();
            checking_since.reset();
            ok = answer;
            answered = covering;
            done.notify_all();
        }
    }
};

HealthProbe::HealthProbe(std::string database_url, std::chrono::seconds deadline)
    : state_(std::make_shared<State>(std::move(database_url), deadline)), thread_([state = state_] { state->run(); }) {}

HealthProbe::~HealthProbe() {
    bool hung;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        hung = state_->checking_since.has_value();
    }
    state_->wake.notify_all();
    // A check hung on the database would hold shutdown for as long: the
    // thread keeps the state it uses alive and ends when the check does.
    if (hung) thread_.detach();
    else thread_.join();
}

bool HealthProbe::database_ok() {
    auto& s = *state_;
    std::unique_lock lock(s.mutex);
    auto now = Clock::now();
    if (s.checking_since && now - *s.checking_since >= s.deadline) return false;
    std::uint64_t mine = ++s.asked;
    s.wake.notify_one();
    return s.done.wait_until(lock, now + s.deadline, [&] { return s.answered >= mine; }) && s.ok;
}

}  // namespace switchyard::api
