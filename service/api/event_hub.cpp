#include "event_hub.h"

#include "devices/secret_masker.h"
#include "store/database.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace switchyard::api {
namespace {

class Receiver : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection& conn, const std::string& channel, std::string kind, EventHub& hub)
        : pqxx::notification_receiver(conn, channel), kind_(std::move(kind)), hub_(hub) {}
    void operator()(const std::string& payload, int) override { hub_.publish({kind_, payload}); }

private:
    std::string kind_;
    EventHub& hub_;
};

// Events leave the process: every payload, whatever its channel, passes the
// one secret masker. As JSON when it is JSON, so that it stays JSON (a lock
// event cut short by the database is masked as text); a payload the masker
// leaves alone goes out as the database wrote it.
std::string safe_payload(const std::string& payload) {
    auto doc = nlohmann::json::parse(payload, nullptr, false);
    if (doc.is_discarded()) return devices::safe_text(payload);
    auto safe = devices::safe_json(doc);
    if (safe == doc) return payload;
    return safe.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What an event costs a subscriber's buffer: its payload and its bookkeeping.
std::size_t cost(const Event& e) { return e.payload.size() + e.kind.size() + 64; }

}  // namespace

void EventHub::Subscription::set_waker(std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    waker_ = std::move(wake);
}

std::deque<Event> EventHub::Subscription::take(std::size_t max_bytes) {
    std::lock_guard lock(mutex_);
    std::deque<Event> out;
    std::size_t bytes = 0;
    while (!queue_.empty() && (out.empty() || bytes + cost(queue_.front()) <= max_bytes)) {
        bytes += cost(queue_.front());
        queued_bytes_ -= cost(queue_.front());
        out.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    return out;
}

bool EventHub::Subscription::overflowed() const {
    std::lock_guard lock(mutex_);
    return overflowed_;
}

bool EventHub::Subscription::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

void EventHub::Subscription::wake() {
    std::function<void()> w;
    {
        std::lock_guard lock(mutex_);
        w = waker_;
    }
    if (w) w();
}

EventHub::EventHub(std::string url, std::chrono::seconds connect_timeout, std::size_t buffer_bytes)
    : url_(std::move(url)), connect_timeout_(connect_timeout), buffer_bytes_(buffer_bytes) {}

EventHub::~EventHub() { stop(); }

void EventHub::start() {
    running_ = true;
    thread_ = std::thread([this] { run(); });
}

void EventHub::stop() {
    if (!running_.exchange(false)) return;
    if (thread_.joinable()) thread_.join();
    std::list<std::shared_ptr<Subscription>> all;
    {
        std::lock_guard lock(mutex_);
        all = subscribers_;
    }
    for (auto& s : all) {
        {
            std::lock_guard slock(s->mutex_);
            s->closed_ = true;
        }
        s->wake();
    }
}

std::shared_ptr<EventHub::Subscription> EventHub::subscribe() {
    auto s = std::make_shared<Subscription>();
    std::lock_guard lock(mutex_);
    subscribers_.push_back(s);
    return s;
}

void EventHub::unsubscribe(const std::shared_ptr<Subscription>& s) {
    std::lock_guard lock(mutex_);
    subscribers_.remove(s);
}

std::size_t EventHub::subscribers() const {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
}

void EventHub::publish(const Event& published) {
    const Event e{published.kind, safe_payload(published.payload)};
    std::list<std::shared_ptr<Subscription>> all;
    {
        std::lock_guard lock(mutex_);
        all = subscribers_;
    }
    for (auto& s : all) {
        {
            std::lock_guard slock(s->mutex_);
            if (s->closed_) continue;
            if (s->queued_bytes_ + cost(e) > buffer_bytes_) {
                // Its client stopped reading: what it missed cannot be
                // resent, so its stream ends instead of going on with a gap.
                s->overflowed_ = true;
                s->closed_ = true;
                s->queue_.clear();
                s->queued_bytes_ = 0;
            } else {
                s->queue_.push_back(e);
                s->queued_bytes_ += cost(e);
            }
        }
        s->wake();
    }
}

void EventHub::run() {
    store::run_connected(
        url_, connect_timeout_, "event stream",
        [this](pqxx::connection& conn) {
            Receiver jobs(conn, "switchyard_job_events", "jobs", *this);
            Receiver locks(conn, "switchyard_lock_events", "locks", *this);
            Receiver host_keys(conn, "switchyard_host_key_events", "host_keys", *this);
            while (running_) conn.await_notification(0, 200000);
        },
        [this](std::chrono::milliseconds backoff) {
            std::this_thread::sleep_for(backoff);
            return !running_;
        });
}

}  // namespace switchyard::api
