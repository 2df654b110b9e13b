#include "event_hub.h"

#include "store/database.h"

#include <spdlog/spdlog.h>

namespace switchyard::api {
namespace {

// A client that does not read is cut off rather than growing without bound.
constexpr std::size_t kMaxQueuedEvents = 10000;

class Receiver : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection& conn, const std::string& channel, std::string kind, EventHub& hub)
        : pqxx::notification_receiver(conn, channel), kind_(std::move(kind)), hub_(hub) {}
    void operator()(const std::string& payload, int) override { hub_.publish({kind_, payload}); }

private:
    std::string kind_;
    EventHub& hub_;
};

}  // namespace

std::optional<Event> EventHub::Subscription::next(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, limit, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return std::nullopt;
    Event e = std::move(queue_.front());
    queue_.pop_front();
    return e;
}

EventHub::EventHub(std::string url, int connect_timeout_seconds)
    : url_(std::move(url)), connect_timeout_seconds_(connect_timeout_seconds) {}

EventHub::~EventHub() { stop(); }

void EventHub::start() {
    running_ = true;
    thread_ = std::thread([this] { run(); });
}

void EventHub::stop() {
    if (!running_.exchange(false)) return;
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    for (auto& s : subscribers_) {
        std::lock_guard slock(s->mutex_);
        s->closed_ = true;
        s->cv_.notify_all();
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

void EventHub::publish(Event e) {
    std::lock_guard lock(mutex_);
    for (auto& s : subscribers_) {
        std::lock_guard slock(s->mutex_);
        if (s->queue_.size() >= kMaxQueuedEvents) {
            s->overflowed_ = true;
            s->closed_ = true;
        } else {
            s->queue_.push_back(e);
        }
        s->cv_.notify_all();
    }
}

void EventHub::run() {
    store::run_connected(
        url_, connect_timeout_seconds_, "event stream",
        [this](pqxx::connection& conn) {
            Receiver jobs(conn, "switchyard_job_events", "jobs", *this);
            Receiver locks(conn, "switchyard_lock_events", "locks", *this);
            while (running_) conn.await_notification(0, 200000);
        },
        [this](std::chrono::milliseconds backoff) {
            std::this_thread::sleep_for(backoff);
            return !running_;
        });
}

}  // namespace switchyard::api
