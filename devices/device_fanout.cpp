#include "devices/device_fanout.h"

#include <malloc.h>
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "devices/errors.h"

namespace switchyard::devices {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Slot {
    std::stop_source stop;
    Clock::time_point start;
    Clock::time_point deadline;
    std::thread thread;
    bool live = false;      // started, not finished, not timed out
    bool recorded = false;  // outcome is final
    int attempt = 0;
    std::string last_error;
};

// Everything the worker threads and the dispatching thread share.
struct Shared {
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<Slot> slots;
    std::vector<DeviceOutcome> outcomes;
    std::deque<std::size_t> to_report;  // recorded, on_done not yet called
    std::deque<std::size_t> to_join;    // threads that returned
    std::size_t live = 0;
    std::size_t recorded = 0;
};

// Every this many devices done, the heap's free pages go back to the
// system (malloc_trim). Each device's texts (configs of 30-100 KB, diffs)
// are allocated on its own thread's malloc arena and freed once it is
// done; glibc returns only an arena's top, so the small long-lived pieces
// of later devices (messages, hashes) pin the freed pages between them and
// RSS grew with the fleet, not with the devices in flight: a 10,000-device
// dry run held 254 MB, of which malloc_trim(0) gave back 170 MB.
// MALLOC_ARENA_MAX=2 alone still grew so.
constexpr std::size_t kTrimEveryDevices = 100;

milliseconds since(Clock::time_point t) { return std::chrono::duration_cast<milliseconds>(Clock::now() - t); }

// Runs one device's attempts on its own thread.
void run_device(Shared& sh, std::size_t i, const DeviceFanout::Task& task, const FanoutOptions& opt) {
    DeviceContext ctx;
    {
        std::lock_guard lock(sh.mutex);
        ctx.stop = sh.slots[i].stop.get_token();
        ctx.deadline = sh.slots[i].deadline;
    }
    bool ok = false;
    std::string error;
    int attempt = 1;
    for (;; ++attempt) {
        ctx.attempt = attempt;
        {
            std::lock_guard lock(sh.mutex);
            sh.slots[i].attempt = attempt;
        }
        bool retry = false;
        try {
            task(i, ctx);
            ok = true;
        } catch (const TransientError& e) {
            error = e.what();
            retry = attempt < opt.max_attempts;
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "unknown error";
        }
        if (ok || !retry || ctx.stop.stop_requested()) break;
        {
            std::lock_guard lock(sh.mutex);
            sh.slots[i].last_error = error;
        }
        // Doubling backoff, cut short by the deadline's stop token.
        auto pause = opt.retry_backoff * (1 << std::min(attempt - 1, 10));
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        if (cv.wait_for(lock, ctx.stop, pause, [] { return false; }) || ctx.stop.stop_requested()) break;
    }
    std::lock_guard lock(sh.mutex);
    Slot& slot = sh.slots[i];
    if (!slot.recorded) {  // else the deadline was recorded first
        slot.recorded = true;
        slot.live = false;
        --sh.live;
        ++sh.recorded;
        auto& out = sh.outcomes[i];
        out.ok = ok;
        out.error = ok ? "" : error;
        out.attempts = attempt;
        out.duration = since(slot.start);
        sh.to_report.push_back(i);
    }
    sh.to_join.push_back(i);
    sh.wake.notify_all();
}

}  // namespace

DeviceFanout::DeviceFanout(FanoutOptions options) : options_(options) {
    if (options_.concurrency == 0) options_.concurrency = 1;
    if (options_.max_attempts < 1) options_.max_attempts = 1;
}

std::vector<DeviceOutcome> DeviceFanout::run(const std::vector<std::string>& names, const Task& task,
                                             const OnDone& on_done, std::stop_token cancel) {
    Shared sh;
    const std::size_t n = names.size();
    sh.slots.resize(n);
    sh.outcomes.resize(n);
    for (std::size_t i = 0; i < n; ++i) sh.outcomes[i].name = names[i];
    peak_ = 0;
    std::stop_callback on_cancel(cancel, [&sh] {
        std::lock_guard lock(sh.mutex);
        sh.wake.notify_all();
    });

    std::size_t next = 0;
    std::size_t done_since_trim = 0;
    std::unique_lock lock(sh.mutex);
    while (sh.recorded < n || !sh.to_report.empty()) {
        if (cancel.stop_requested()) {
            for (; next < n; ++next) {
                auto& out = sh.outcomes[next];
                out.started = false;
                out.error = "not started: the run was stopped";
                sh.slots[next].recorded = true;
                ++sh.recorded;
                sh.to_report.push_back(next);
            }
            for (auto& slot : sh.slots)
                if (slot.live) slot.stop.request_stop();
        }
        while (next < n && sh.live < options_.concurrency) {
            Slot& slot = sh.slots[next];
            slot.start = Clock::now();
            slot.deadline = slot.start + options_.deadline;
            slot.live = true;
            ++sh.live;
            peak_ = std::max(peak_, sh.live);
            try {
                slot.thread = std::thread(run_device, std::ref(sh), next, std::cref(task), std::cref(options_));
            } catch (const std::system_error& e) {
                // Out of threads: this device fails, the run goes on.
                slot.live = false;
                slot.recorded = true;
                --sh.live;
                ++sh.recorded;
                sh.outcomes[next].error = std::string("cannot start a thread: ") + e.what();
                sh.to_report.push_back(next);
            }
            ++next;
        }
        // Deadlines: record the timeout now and free the slot; the thread
        // is told to stop and joined when it returns.
        auto now = Clock::now();
        std::optional<Clock::time_point> earliest;
        for (std::size_t i = 0; i < n; ++i) {
            Slot& slot = sh.slots[i];
            if (!slot.live) continue;
            if (slot.deadline <= now) {
                slot.live = false;
                slot.recorded = true;
                --sh.live;
                ++sh.recorded;
                auto& out = sh.outcomes[i];
                out.timed_out = true;
                out.attempts = slot.attempt;
                out.duration = since(slot.start);
                out.error = "deadline of " + std::to_string(options_.deadline.count()) + " ms exceeded (attempt " +
                            std::to_string(slot.attempt) + ")";
                if (!slot.last_error.empty()) out.error += "; previous attempt: " + slot.last_error;
                sh.to_report.push_back(i);
                slot.stop.request_stop();
            } else if (!earliest || slot.deadline < *earliest) {
                earliest = slot.deadline;
            }
        }
        while (!sh.to_join.empty()) {
            std::size_t i = sh.to_join.front();
            sh.to_join.pop_front();
            std::thread t = std::move(sh.slots[i].thread);
            lock.unlock();
            if (t.joinable()) t.join();
            lock.lock();
        }
        if (!sh.to_report.empty()) {
            std::deque<std::size_t> batch;
            batch.swap(sh.to_report);
            lock.unlock();
            if (on_done)
                for (auto i : batch) on_done(i, sh.outcomes[i]);
            done_since_trim += batch.size();
            if (done_since_trim >= kTrimEveryDevices) {
                done_since_trim = 0;
                malloc_trim(0);
            }
            lock.lock();
            continue;
        }
        if (sh.recorded == n) break;
        auto ready = [&] {
            return !sh.to_join.empty() || !sh.to_report.empty() || (cancel.stop_requested() && next < n) ||
                   (next < n && sh.live < options_.concurrency);
        };
        if (earliest) sh.wake.wait_until(lock, *earliest, ready);
        else sh.wake.wait(lock, ready);
    }
    // Threads of timed-out devices that are still winding down.
    std::vector<std::thread> rest;
    for (auto& slot : sh.slots)
        if (slot.thread.joinable()) rest.push_back(std::move(slot.thread));
    lock.unlock();
    for (auto& t : rest) t.join();
    return std::move(sh.outcomes);
}

}  // namespace switchyard::devices
