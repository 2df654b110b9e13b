// Fans the engine's NOTIFY events (job and lock changes) out to /events
// clients. One LISTEN connection for the whole process, however many clients.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace switchyard::api {

struct Event {
    std::string kind;     // "jobs" or "locks"
    std::string payload;  // JSON as published by the database
};

class EventHub {
public:
    class Subscription {
    public:
        // The next event, waiting at most `limit`; nullopt on timeout or when
        // the hub stops.
        std::optional<Event> next(std::chrono::milliseconds limit);

    private:
        friend class EventHub;
        std::mutex mutex_;
        std::condition_variable cv_;
        std::deque<Event> queue_;
        bool closed_ = false;
        bool overflowed_ = false;
    };

    EventHub(std::string url, int connect_timeout_seconds);
    ~EventHub();

    void start();
    void stop();
    bool running() const { return running_; }
    std::shared_ptr<Subscription> subscribe();
    void unsubscribe(const std::shared_ptr<Subscription>& s);
    std::size_t subscribers() const;

    // Used by the LISTEN thread.
    void publish(Event e);

private:
    void run();

    std::string url_;
    int connect_timeout_seconds_;
    std::atomic<bool> running_{false};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<Subscription>> subscribers_;
};

}  // namespace switchyard::api
