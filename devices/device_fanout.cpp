#include "devices/device_fanout.h"

#include <malloc.h>
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "devices/errors.h"

namespace switchyard::devices {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A device started (or recorded as not started), until on_done has seen its
// outcome and its thread is joined.
struct Slot {
    std::stop_source stop;
    Clock::time_point start;
    Clock::time_point deadline;
    std::thread thread;
    bool live = false;      // started, not finished, not timed out
    bool recorded = false;  // outcome is final
    bool reported = false;  // on_done returned for it
    // A thread runs this device and may still read the slot: until it
    // lets go, the slot stays, even once its std::thread is moved out to
    // be joined (the last threads of a run, past their deadline).
    bool on_thread = false;
    int attempt = 0;
    std::string last_error;
    DeviceOutcome outcome;
};

// Everything the device threads, the dispatching thread and the reporting
// (calling) thread share.
struct Shared {
    std::mutex mutex;
    std::condition_variable wake;  // any change below; each waiter checks its own condition
    // By device index. A node-based map: a slot stays where it is while
    // others come and go, so a device's thread and on_done hold on to it.
    std::unordered_map<std::size_t, Slot> slots;
    std::size_t peak_held = 0;
    std::vector<std::size_t> live_slots;  // the slots that are live: deadlines are checked on these only
    std::deque<std::size_t> to_report;    // recorded, on_done not yet called
    std::deque<std::size_t> to_join;      // threads that returned
    std::size_t live = 0;
    std::size_t recorded = 0;
    std::size_t unreported = 0;  // recorded, on_done not yet returned
    bool abandoned = false;      // on_done threw: start nothing more, stop what runs
};

Slot& add_slot(Shared& sh, std::size_t i) {
    Slot& slot = sh.slots[i];
    sh.peak_held = std::max(sh.peak_held, sh.slots.size());
    return slot;
}

// Slot i goes once on_done has seen its outcome and its thread has let go
// of it and been joined (or moved out to be).
void release_if_done(Shared& sh, std::size_t i) {
    auto it = sh.slots.find(i);
    if (it == sh.slots.end()) return;
    const Slot& slot = it->second;
    if (slot.reported && !slot.on_thread && !slot.thread.joinable()) sh.slots.erase(it);
}

// A slot that stops being live leaves live_slots (at most `concurrency` long).
void not_live(Shared& sh, std::size_t i) {
    sh.slots.at(i).live = false;
    --sh.live;
    std::erase(sh.live_slots, i);
}

// An outcome is final: the reporting thread calls on_done for it.
void record(Shared& sh, std::size_t i) {
    sh.slots.at(i).recorded = true;
    ++sh.recorded;
    ++sh.unreported;
    sh.to_report.push_back(i);
}

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
    Slot* slot = nullptr;  // stays until this thread is joined
    {
        std::lock_guard lock(sh.mutex);
        slot = &sh.slots.at(i);
        ctx.stop = slot->stop.get_token();
        ctx.deadline = slot->deadline;
    }
    bool ok = false;
    std::string error;
    int attempt = 1;
    for (;; ++attempt) {
        ctx.attempt = attempt;
        {
            std::lock_guard lock(sh.mutex);
            slot->attempt = attempt;
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
            slot->last_error = error;
        }
        // Doubling backoff, cut short by the deadline's stop token.
        auto pause = opt.retry_backoff * (1 << std::min(attempt - 1, 10));
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        if (cv.wait_for(lock, ctx.stop, pause, [] { return false; }) || ctx.stop.stop_requested()) break;
    }
    std::lock_guard lock(sh.mutex);
    if (!slot->recorded) {  // else the deadline was recorded first
        not_live(sh, i);
        auto& out = slot->outcome;
        out.ok = ok;
        out.error = ok ? "" : error;
        out.attempts = attempt;
        out.duration = since(slot->start);
        record(sh, i);
    }
    slot->on_thread = false;  // the last this thread reads of it
    sh.to_join.push_back(i);
    sh.wake.notify_all();
}

// The dispatching thread: starts devices while fewer than `concurrency` run
// and fewer than `concurrency` wait to be reported, records deadlines and
// joins the threads that returned. It never calls on_done, so a slow on_done
// (a sync writing a batch of texts) does not hold back the devices' turns;
// the second bound keeps what finished devices hold (their texts, until
// on_done takes them) within concurrency devices more.
void dispatch(Shared& sh, std::size_t n, const DeviceFanout::Task& task, const FanoutOptions& opt,
              std::stop_token cancel, std::size_t& peak) {
    std::size_t next = 0;
    std::unique_lock lock(sh.mutex);
    while (sh.recorded < n) {
        // Threads that returned are joined first, so that the slots of
        // reported devices are gone before new ones start: the fan-out holds
        // at most 2 x concurrency (and the timed-out devices still winding down).
        while (!sh.to_join.empty()) {
            std::size_t i = sh.to_join.front();
            sh.to_join.pop_front();
            std::thread t = std::move(sh.slots.at(i).thread);
            lock.unlock();
            if (t.joinable()) t.join();
            lock.lock();
            release_if_done(sh, i);
        }
        if (cancel.stop_requested() || sh.abandoned) {
            for (; next < n; ++next) {
                auto& out = add_slot(sh, next).outcome;
                out.started = false;
                out.error = "not started: the run was stopped";
                record(sh, next);
            }
            for (auto i : sh.live_slots) sh.slots.at(i).stop.request_stop();
            sh.wake.notify_all();
        }
        while (next < n && sh.live < opt.concurrency && sh.unreported < opt.concurrency) {
            Slot& slot = add_slot(sh, next);
            slot.start = Clock::now();
            slot.deadline = slot.start + opt.deadline;
            slot.live = true;
            ++sh.live;
            sh.live_slots.push_back(next);
            peak = std::max(peak, sh.live);
            try {
                slot.thread = std::thread(run_device, std::ref(sh), next, std::cref(task), std::cref(opt));
                slot.on_thread = true;  // it waits for the lock this thread holds
            } catch (const std::system_error& e) {
                // Out of threads: this device fails, the run goes on.
                not_live(sh, next);
                slot.outcome.error = std::string("cannot start a thread: ") + e.what();
                record(sh, next);
                sh.wake.notify_all();
            }
            ++next;
        }
        // Deadlines: record the timeout now and free the slot; the thread
        // is told to stop and joined when it returns.
        auto now = Clock::now();
        std::optional<Clock::time_point> earliest;
        for (std::size_t k = 0; k < sh.live_slots.size();) {
            const std::size_t i = sh.live_slots[k];
            Slot& slot = sh.slots.at(i);
            if (slot.deadline > now) {
                if (!earliest || slot.deadline < *earliest) earliest = slot.deadline;
                ++k;
                continue;
            }
            not_live(sh, i);  // erases live_slots[k]
            auto& out = slot.outcome;
            out.timed_out = true;
            out.attempts = slot.attempt;
            out.duration = since(slot.start);
            out.error = "deadline of " + std::to_string(opt.deadline.count()) + " ms exceeded (attempt " +
                        std::to_string(slot.attempt) + ")";
            if (!slot.last_error.empty()) out.error += "; previous attempt: " + slot.last_error;
            record(sh, i);
            slot.stop.request_stop();
            sh.wake.notify_all();
        }
        if (sh.recorded == n) break;
        auto ready = [&] {
            return !sh.to_join.empty() || ((cancel.stop_requested() || sh.abandoned) && next < n) ||
                   (next < n && sh.live < opt.concurrency && sh.unreported < opt.concurrency);
        };
        if (earliest) sh.wake.wait_until(lock, *earliest, ready);
        else sh.wake.wait(lock, ready);
    }
    // Threads of timed-out devices that are still winding down.
    std::vector<std::thread> rest;
    for (auto& [i, slot] : sh.slots)
        if (slot.thread.joinable()) rest.push_back(std::move(slot.thread));
    lock.unlock();
    for (auto& t : rest) t.join();
}

}  // namespace

DeviceFanout::DeviceFanout(FanoutOptions options) : options_(options) {
    if (options_.concurrency == 0) options_.concurrency = 1;
    if (options_.max_attempts < 1) options_.max_attempts = 1;
}

void DeviceFanout::run(std::size_t n, const Task& task, const OnDone& on_done, std::stop_token cancel) {
    Shared sh;
    peak_ = 0;
    std::stop_callback on_cancel(cancel, [&sh] {
        std::lock_guard lock(sh.mutex);
        sh.wake.notify_all();
    });
    std::thread dispatcher(dispatch, std::ref(sh), n, std::cref(task), std::cref(options_), cancel, std::ref(peak_));

    // This (the calling) thread reports: on_done runs here, one device at a
    // time, in the order devices end.
    std::size_t reported = 0, done_since_trim = 0;
    std::exception_ptr failure;
    std::vector<std::pair<std::size_t, const DeviceOutcome*>> batch;
    std::unique_lock lock(sh.mutex);
    while (reported < n) {
        sh.wake.wait(lock, [&] { return !sh.to_report.empty(); });
        batch.clear();
        for (auto i : sh.to_report) batch.emplace_back(i, &sh.slots.at(i).outcome);
        sh.to_report.clear();
        lock.unlock();
        try {
            if (on_done && !failure)
                for (auto [i, outcome] : batch) on_done(i, *outcome);
        } catch (...) {
            failure = std::current_exception();
        }
        reported += batch.size();
        done_since_trim += batch.size();
        if (done_since_trim >= kTrimEveryDevices) {
            done_since_trim = 0;
            malloc_trim(0);
        }
        lock.lock();
        for (auto [i, outcome] : batch) {
            sh.slots.at(i).reported = true;
            release_if_done(sh, i);
        }
        sh.unreported -= batch.size();
        if (failure) sh.abandoned = true;  // the devices that run are stopped, no more start
        sh.wake.notify_all();
    }
    lock.unlock();
    dispatcher.join();
    peak_held_ = sh.peak_held;
    // And the pages the last devices freed: what the job does next (its
    // result, a page of GET /jobs reading its document) otherwise grows the
    // process beside them (bench/sync: 39 MB over the run's peak as a
    // 10,000-device job ended).
    malloc_trim(0);
    if (failure) std::rethrow_exception(failure);
}

std::vector<DeviceOutcome> DeviceFanout::collect(std::size_t n, const Task& task, std::stop_token cancel) {
    std::vector<DeviceOutcome> out(n);
    run(
        n, task, [&](std::size_t i, const DeviceOutcome& o) { out[i] = o; }, std::move(cancel));
    return out;
}

}  // namespace switchyard::devices
