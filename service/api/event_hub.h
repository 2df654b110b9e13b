// Fans the engine's NOTIFY events (job, lock and host key changes) out to /events
// clients. One LISTEN connection for the whole process, however many clients.
//
// Each subscriber has a buffer bounded in bytes. A subscriber that does not
// keep up (its client stopped reading) overflows it: its buffer is dropped at
// once, it receives nothing more, and its stream is ended rather than grown
// without bound or fed with gaps.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace switchyard::api {

struct Event {
    std::string kind;     // "jobs", "locks" or "host_keys"
    std::string payload;  // JSON as published by the database
};

class EventHub {
public:
    class Subscription {
    public:
        // Called (from the hub's thread) after each new event and when the
        // subscription overflows or closes; it must not block.
        void set_waker(std::function<void()> wake);
        // Moves out what is buffered, oldest first, up to about `max_bytes`
        // of payload (at least one event when any is there).
        std::deque<Event> take(std::size_t max_bytes);
        bool overflowed() const;
        bool closed() const;  // the hub stopped (or the subscription overflowed)

    private:
        friend class EventHub;
        void wake();
        mutable std::mutex mutex_;
        std::function<void()> waker_;
        std::deque<Event> queue_;
        std::size_t queued_bytes_ = 0;
        bool closed_ = false;
        bool overflowed_ = false;
    };

    // `buffer_bytes`: the most a subscriber may have waiting.
    EventHub(std::string url, std::chrono::seconds connect_timeout, std::size_t buffer_bytes);
    ~EventHub();

    void start();
    void stop();
    bool running() const { return running_; }
    std::shared_ptr<Subscription> subscribe();
    void unsubscribe(const std::shared_ptr<Subscription>& s);
    std::size_t subscribers() const;

    // Used by the LISTEN thread (and tests). The payload goes out through
    // the one secret masker (devices/secret_masker.h).
    void publish(const Event& e);

private:
    void run();

    std::string url_;
    std::chrono::seconds connect_timeout_;
    std::size_t buffer_bytes_;
    std::atomic<bool> running_{false};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<Subscription>> subscribers_;
};

}  // namespace switchyard::api
