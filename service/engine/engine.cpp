#include "engine.h"

#include "completer.h"
#include "engine_core.h"
#include "heartbeat.h"
#include "housekeeper.h"
#include "lease_guard.h"
#include "listener.h"
#include "maintenance.h"
#include "queue_runner.h"
#include "store/queries.h"
#include "thread_name.h"

#include <mutex>

namespace switchyard::engine {

using Clock = std::chrono::steady_clock;

Engine::Engine(Settings settings, const tasks::TaskRegistry& registry, std::string database_url)
    : core_(std::make_unique<EngineCore>(std::move(settings), registry, std::move(database_url))) {}

Engine::~Engine() { stop(); }

void Engine::start() {
    if (started_ || !core_) return;
    {
        auto conn = store::connect(core_->url, core_->settings.database.connect_timeout_seconds);
        core_->worker_id = core_->register_worker(*conn);
    }
    completer_ = std::make_unique<Completer>(*core_);
    core_->completer = completer_.get();
    for (auto& [name, concurrency] : core_->settings.jobs.queues) {
        queues_.push_back(std::make_unique<QueueRunner>(*core_, name, concurrency));
        core_->queues[name] = queues_.back().get();
    }
    completer_->start();
    for (auto& q : queues_) q->start();
    // Named as `top -H` and gdb show them (15 characters at most).
    auto start_thread = [this](const char* name, void (*loop)(EngineCore&)) {
        threads_.emplace_back([this, name, loop] {
            name_this_thread(name);
            loop(*core_);
        });
    };
    start_thread("sy-listener", run_listener);
    start_thread("sy-heartbeat", run_heartbeat);
    start_thread("sy-housekeeper", run_housekeeper);
    start_thread("sy-lease-guard", run_lease_guard);
    start_thread("sy-maintenance", run_maintenance);
    started_ = true;
    spdlog::info("worker {} started on {} queue(s)", core_->worker_id.load(), queues_.size());
}

namespace {

// What threads left running after a stop may still use: never freed, so such
// a thread can go on until the process exits without touching freed memory.
struct Abandoned {
    std::unique_ptr<EngineCore> core;
    std::unique_ptr<Completer> completer;
    std::vector<std::unique_ptr<QueueRunner>> queues;
};
std::vector<Abandoned>* const abandoned_engines = new std::vector<Abandoned>;
std::mutex abandoned_mutex;

// Marks the worker stopped on purpose, saying what it left running. On a
// connection of its own with a statement timeout: the pool's connections
// may all be held by tasks that do not stop.
void retire(EngineCore& core, const std::string& reason, std::chrono::seconds limit) {
    try {
        auto conn = store::connect(core.url, std::max(std::chrono::seconds(1),
                                                      std::min(core.settings.database.connect_timeout_seconds, limit)));
        pqxx::nontransaction tx(*conn);
        store::sql::workers::limit_statement_time(tx, {.milliseconds = std::to_string(limit.count() * 1000)});
        store::sql::workers::retire(tx, {.worker_id = core.worker_id.load(), .reason = reason});
    } catch (const std::exception& e) {
        spdlog::error("could not retire worker {}: {}", core.worker_id.load(), e.what());
    }
}

}  // namespace

bool Engine::stop() {
    if (!started_) return stopped_cleanly_;
    started_ = false;
    const auto& jobs = core_->settings.jobs;
    const std::chrono::seconds abort_window = jobs.shutdown_abort_seconds;
    core_->stop_claiming.request();
    for (auto& q : queues_) q->stop_claiming();

    auto wait_until_idle = [&](std::chrono::seconds limit) {
        auto until = Clock::now() + limit;
        while (core_->running.size() > 0 && Clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return core_->running.size() == 0;
    };
    if (!wait_until_idle(jobs.shutdown_grace_seconds)) {
        spdlog::warn("{} job(s) still running after the {} s shutdown grace; asking them to abort ({} s)",
                     core_->running.size(), jobs.shutdown_grace_seconds.count(), jobs.shutdown_abort_seconds.count());
        for (auto& job : core_->running.all()) job->request_abort("the service is shutting down", false);
        wait_until_idle(abort_window);
    }

    // What runs now is left behind: nothing more of it is stored (the
    // rescuer retries or ends it) and no worker starts what was claimed.
    for (auto& q : queues_) q->drop_unstarted();
    for (auto& job : core_->running.all()) {
        // Retired, this worker's jobs go to the rescuer at once, and their
        // recovery may start: a job that did not stop must stop typing.
        job->stop_devices("the service is shutting down and the job did not stop; its device work was stopped");
        job->mark_completed();
    }
    // The last writes (outcomes held, then the worker's retirement) share
    // one more window.
    auto last_writes_by = Clock::now() + abort_window;
    bool completer_ended = completer_->stop(abort_window);

    // Still here: jobs that did not stop, and any whose outcome could not be
    // stored in time.
    std::string reason = "stopped";
    if (auto unfinished = core_->running.all(); !unfinished.empty()) {
        // The rescuer quotes the reason in each job's errors: name a few.
        constexpr std::size_t kJobsNamed = 10;
        std::string ids;
        for (std::size_t i = 0; i < unfinished.size() && i < kJobsNamed; ++i)
            ids += (ids.empty() ? "" : ", ") + std::to_string(unfinished[i]->claim().id) + " (" +
                   unfinished[i]->claim().function_name + ")";
        if (unfinished.size() > kJobsNamed) ids += " and " + std::to_string(unfinished.size() - kJobsNamed) + " more";
        reason = "the service shut down leaving " + std::to_string(unfinished.size()) +
                 " job(s) unfinished after the " + std::to_string(jobs.shutdown_grace_seconds.count()) +
                 " s shutdown grace and the " + std::to_string(jobs.shutdown_abort_seconds.count()) +
                 " s abort window: " + ids;
        spdlog::error("{}; the rescuer will retry or end them", reason);
    }
    retire(*core_, reason,
           std::max(std::chrono::seconds(1),
                    std::chrono::duration_cast<std::chrono::seconds>(last_writes_by - Clock::now())));

    core_->stop_all.request();
    for (auto& t : threads_) t.join();
    threads_.clear();
    std::size_t threads_left = 0;
    for (auto& q : queues_) threads_left += q->finish();
    if (threads_left)
        spdlog::warn("{} worker thread(s) are still inside tasks that did not stop; leaving them", threads_left);

    stopped_cleanly_ = completer_ended && threads_left == 0;
    if (!stopped_cleanly_) {
        std::lock_guard lock(abandoned_mutex);
        abandoned_worker_id_ = core_->worker_id.load();
        abandoned_engines->push_back({std::move(core_), std::move(completer_), std::move(queues_)});
    }
    spdlog::info("worker {} stopped", worker_id());
    return stopped_cleanly_;
}

std::int64_t Engine::worker_id() const { return core_ ? core_->worker_id.load() : abandoned_worker_id_; }

EngineStats Engine::stats() const {
    if (!core_) return {};
    auto& c = core_->counters;
    return {c.claimed.load(), c.finished.load(), c.failed.load(),  c.aborted.load(),
            c.retried.load(), c.dropped.load(),  c.rescued.load(), core_->running.size()};
}

}  // namespace switchyard::engine
