#include "queue_runner.h"

#include "completer.h"
#include "defaults.h"
#include "job_outcome.h"
#include "store/queries.h"

#include <random>

namespace switchyard::engine {
namespace {

std::mt19937_64& thread_random() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    return random;
}

// Completions waiting to be written, per worker slot, before claiming pauses:
// claiming faster than results are stored only grows memory.
constexpr std::size_t kMaxBacklogPerSlot = 64;

}  // namespace

QueueRunner::QueueRunner(EngineCore& core, std::string queue, int concurrency)
    : core_(core), queue_(std::move(queue)), concurrency_(concurrency) {}

QueueRunner::~QueueRunner() { finish(); }

void QueueRunner::start() {
    {
        std::lock_guard lock(mutex_);
        for (int i = 0; i < concurrency_; ++i) add_worker();
    }
    claimer_ = std::thread([this] { claim_loop(); });
}

void QueueRunner::add_worker() {
    Worker& w = workers_.emplace_back();
    w.thread = std::thread([this, &w] { worker_loop(w); });
}

void QueueRunner::wake() {
    std::lock_guard lock(mutex_);
    woken_ = true;
    claim_cv_.notify_one();
}

void QueueRunner::stop_claiming() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        claim_cv_.notify_all();
        work_cv_.notify_all();
    }
    if (claimer_.joinable() && claimer_.get_id() != std::this_thread::get_id()) claimer_.join();
}

void QueueRunner::add_replacement_worker() {
    std::lock_guard lock(mutex_);
    --busy_;  // the stuck job no longer counts against the queue's concurrency
    add_worker();
    claim_cv_.notify_one();
}

void QueueRunner::drop_unstarted() {
    std::lock_guard lock(mutex_);
    if (!ready_.empty())
        spdlog::warn("queue {}: {} claimed job(s) never started; the rescuer will retry or end them", queue_,
                     ready_.size());
    ready_.clear();
    work_cv_.notify_all();
}

std::size_t QueueRunner::finish() {
    stop_claiming();
    drop_unstarted();
    std::vector<std::thread> ending;
    std::size_t left = 0;
    {
        std::lock_guard lock(mutex_);
        for (auto& w : workers_) {
            if (!w.thread.joinable()) continue;
            // A worker outside a task leaves at once (nothing is ready and
            // stopping_ is set); one inside a task may never come back.
            if (w.done || !w.in_task) {
                ending.push_back(std::move(w.thread));
            } else {
                w.thread.detach();
                ++left;
            }
        }
    }
    for (auto& t : ending) t.join();
    return left;
}
void QueueRunner::claim_loop() {
    with_reconnects(
        core_, "claimer",
        [&](pqxx::connection& conn) {
            auto poll = std::chrono::milliseconds(core_.settings.jobs.poll_interval_ms);
            for (;;) {
                int wanted = 0;
                {
                    std::unique_lock lock(mutex_);
                    claim_cv_.wait_for(lock, poll, [&] {
                        return stopping_ || (woken_ && busy_ < concurrency_ &&
                                             core_.completer->backlog() < kMaxBacklogPerSlot * concurrency_);
                    });
                    if (stopping_) return;
                    if (busy_ >= concurrency_) continue;
                    woken_ = false;
                    wanted = std::min(concurrency_ - busy_, core_.settings.jobs.claim_batch);
                }
                std::size_t got = claim(conn, wanted);
                if (got == static_cast<std::size_t>(wanted)) {
                    // A full batch: more are likely waiting.
                    std::lock_guard lock(mutex_);
                    woken_ = true;
                }
            }
        },
        &core_.stop_claiming);  // a claimer waiting to reconnect leaves at once when the engine stops
}

std::size_t QueueRunner::claim(pqxx::connection& conn, int wanted) {
    std::int64_t worker = core_.worker_id.load();
    std::vector<store::sql::jobs::ClaimRow> rows;
    {
        pqxx::nontransaction tx(conn);  // one statement, atomic on its own: one round trip
        rows = store::sql::jobs::claim(tx, sqlgen::prepared, {.queue = queue_, .limit = wanted, .worker_id = worker});
    }
    if (rows.empty()) return 0;
    std::vector<std::shared_ptr<RunningJob>> jobs;
    for (auto& row : rows) {
        ClaimedJob c;
        c.id = row.id;
        c.worker_id = worker;
        c.function_name = std::move(row.function_name);
        c.queue = std::move(row.queue);
        c.attempt = row.attempt;
        c.max_attempts = row.max_attempts;
        c.timeout_seconds = row.timeout_seconds;
        c.args = std::move(row.start_arguments);
        // A job stored under a shown name runs with the arguments that name
        // implies (a job enqueued before its kind said so, or by hand).
        try {
            if (auto resolved = core_.registry.resolve(c.function_name, c.args)) c.args = std::move(resolved->args);
        } catch (const std::invalid_argument&) {
            // Not an object: the task refuses it with its own message.
        }
        c.scheduled_by = std::move(row.scheduled_by);
        c.priority = row.priority;
        auto job = std::make_shared<RunningJob>(std::move(c), core_.pool, core_.sinks,
                                                std::chrono::milliseconds(defaults::kLockPollMs), core_.lease,
                                                core_.registry, core_.settings);
        core_.running.add(job);
        jobs.push_back(std::move(job));
    }
    // Run in claim order: priority, then age.
    std::stable_sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) {
        return a->claim().priority != b->claim().priority ? a->claim().priority < b->claim().priority
                                                          : a->claim().id < b->claim().id;
    });
    core_.counters.claimed += jobs.size();
    std::lock_guard lock(mutex_);
    busy_ += static_cast<int>(jobs.size());
    for (auto& j : jobs) {
        ready_.push_back(std::move(j));
        work_cv_.notify_one();  // one waiter per job: no thundering herd on big queues
    }
    return jobs.size();
}

void QueueRunner::worker_loop(Worker& self) {
    for (;;) {
        std::shared_ptr<RunningJob> job;
        {
            std::unique_lock lock(mutex_);
            self.in_task = false;
            work_cv_.wait(lock, [&] { return !ready_.empty() || stopping_; });
            if (ready_.empty()) {
                self.done = true;
                return;
            }
            job = std::move(ready_.front());
            ready_.pop_front();
            self.in_task = true;
        }
        run(job);
    }
}

void QueueRunner::run(const std::shared_ptr<RunningJob>& job) {
    const ClaimedJob& claim = job->claim();
    AttemptEnd end;
    if (const tasks::TaskKind* kind = core_.registry.find(claim.function_name)) {
        try {
            kind->run(*job);
        } catch (...) {
            end.error = std::current_exception();
        }
    } else {
        end.error = std::make_exception_ptr(
            std::runtime_error("job kind '" + claim.function_name + "' is not known to this worker"));
    }
    end.abort_requested = job->abort_requested();
    end.timed_out = job->timed_out();
    end.abort_reason = job->abort_reason();

    if (job->mark_completed()) {  // else the watchdog already ended it
        BackoffPolicy policy{core_.settings.jobs.retry_backoff_base_ms, core_.settings.jobs.retry_backoff_max_seconds,
                             defaults::kRetryJitter};
        Completion c = decide_completion(claim, end, policy, thread_random());
        job->fill(c);
        spdlog::debug("job {} ({}) attempt {} ran: {}", claim.id, claim.function_name, claim.attempt,
                      to_string(c.status));
        core_.completer->submit(std::move(c));
        std::lock_guard lock(mutex_);
        --busy_;
        claim_cv_.notify_one();
    }
}

}  // namespace switchyard::engine
