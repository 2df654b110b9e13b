#include "running_job.h"

#include "job_store.h"
#include "locks/lock_store.h"
#include "store/queries.h"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <thread>

namespace switchyard::engine {

using nlohmann::json;

RunningJob::RunningJob(ClaimedJob claim, store::ConnectionPool& pool, std::vector<spdlog::sink_ptr> sinks,
                       std::chrono::milliseconds lock_poll, const LeaseWatch& lease,
                       const tasks::TaskRegistry& registry, const Settings& settings)
    : claim_(std::move(claim)),
      pool_(pool),
      sinks_(std::move(sinks)),
      lock_poll_(lock_poll),
      lease_(lease),
      registry_(registry),
      settings_(settings) {
    info_ = {claim_.id, claim_.function_name, claim_.queue, claim_.attempt, claim_.max_attempts, claim_.scheduled_by};
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(claim_.timeout_seconds);
}

spdlog::logger& RunningJob::log() {
    // Made on first use: most jobs never log, and a logger per job costs.
    std::call_once(logger_once_, [&] {
        logger_ = std::make_shared<spdlog::logger>("job " + std::to_string(claim_.id), sinks_.begin(), sinks_.end());
        if (auto def = spdlog::default_logger()) logger_->set_level(def->level());
    });
    return *logger_;
}

std::string RunningJob::abort_reason() const {
    std::lock_guard lock(mutex_);
    return abort_reason_.empty() ? "abort requested" : abort_reason_;
}

void RunningJob::request_abort(const std::string& reason, bool timeout) {
    std::lock_guard lock(mutex_);
    if (abort_.load() && !timeout) return;  // keep the first reason
    abort_reason_ = reason;
    timed_out_ = timed_out_ || timeout;
    abort_.store(true);
    requests_changed_.notify_all();
}

void RunningJob::suspend_self() {
    pool_.with([&](pqxx::connection& conn) {
        pqxx::nontransaction tx(conn);
        store::sql::jobs::suspend_self(
            tx, {.id = claim_.id, .attempt = claim_.attempt, .by = "job " + std::to_string(claim_.id)});
        return 0;
    });
    std::lock_guard lock(mutex_);
    ++suspend_epoch_;
    suspend_.store(true);
    requests_changed_.notify_all();
}

std::uint64_t RunningJob::suspend_epoch() const {
    std::lock_guard lock(mutex_);
    return suspend_epoch_;
}

void RunningJob::set_suspend_requested(bool requested, std::uint64_t epoch_read_at) {
    std::lock_guard lock(mutex_);
    if (epoch_read_at != suspend_epoch_ || suspend_.load() == requested) return;
    suspend_.store(requested);
    requests_changed_.notify_all();
}

void RunningJob::wait_for_request(std::chrono::steady_clock::time_point until) const {
    std::unique_lock lock(mutex_);
    const bool aborting = abort_.load(), suspended = suspend_.load();
    requests_changed_.wait_until(lock, until,
                                 [&] { return abort_.load() != aborting || suspend_.load() != suspended; });
}

bool RunningJob::stop_devices(const std::string& reason) {
    if (device_stop_.stop_requested()) return false;
    request_abort(reason, false);
    return device_stop_.request_stop();
}

bool RunningJob::timed_out() const {
    std::lock_guard lock(mutex_);
    return timed_out_;
}

void RunningJob::acquire_locks(const std::vector<std::string>& names, std::chrono::milliseconds wait) {
    for (auto& name : names) locks::validate_lock_name(name);
    auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
        auto blockers = pool_.with([&](pqxx::connection& conn) {
            pqxx::work tx(conn);
            auto out = locks::try_acquire_all(tx, names, claim_.id, claim_.attempt);
            tx.commit();
            return out;
        });
        if (blockers.empty()) {
            std::lock_guard lock(mutex_);
            for (auto& name : names)
                if (std::find(held_locks_.begin(), held_locks_.end(), name) == held_locks_.end())
                    held_locks_.push_back(name);
            return;
        }
        check_abort();
        if (std::chrono::steady_clock::now() >= until) {
            std::string held;
            std::vector<std::int64_t> holders;
            for (auto& b : blockers) holders.push_back(b.job_id);
            for (auto& b : blockers)
                held +=
                    (held.empty() ? "" : "; ") + ("lock '" + b.name + "' is held by job " + std::to_string(b.job_id) +
                                                  (b.function_name.empty() ? "" : " (" + b.function_name + ")"));
            throw tasks::LockBusy(held + "; waited " + std::to_string(wait.count() / 1000.0).substr(0, 5) + " s",
                                  std::move(holders));
        }
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(lock_poll_, until - std::chrono::steady_clock::now()));
    }
}

void RunningJob::fence() {
    auto refuse = [&](const std::string& why) {
        request_abort(why, false);
        throw tasks::LeaseLost(why + "; no device change is started");
    };
    auto check_lease = [&] {
        if (!lease_.failing()) return;
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(lease_.age()).count();
        refuse("this worker has had no good heartbeat for " + std::to_string(ms) + " ms (the limit is " +
               std::to_string(lease_.limit().count()) + " ms, half its lease of " +
               std::to_string(lease_.lease().count()) + " ms): its jobs may be taken over at any moment");
    };
    check_lease();
    std::vector<std::string> names;
    {
        std::lock_guard lock(mutex_);
        names = held_locks_;
    }
    bool owned = false;
    try {
        owned = pool_.with([&](pqxx::connection& conn) {
            // One statement, one round trip: no transaction around it.
            pqxx::nontransaction tx(conn);
            return store::sql::jobs::fence(
                       tx,
                       {.id = claim_.id, .attempt = claim_.attempt, .worker_id = claim_.worker_id, .lock_names = names})
                .has_value();
        });
    } catch (const std::exception& e) {
        refuse(std::string("could not prove this attempt still owns its lease and locks (") + e.what() + ")");
    }
    if (!owned)
        refuse("attempt " + std::to_string(claim_.attempt) + " of job " + std::to_string(claim_.id) +
               " no longer owns its lease or its locks (its worker was declared dead, the job ended, or a lock "
               "was cleared by hand)");
    // The database's answer may have taken long to come (a database the
    // worker can barely reach delays its heartbeat too): it proves ownership
    // only if half a lease still remains before a rescuer may take the job.
    check_lease();
}

void RunningJob::keep_locks_until(std::chrono::steady_clock::time_point until) {
    std::lock_guard lock(mutex_);
    locks_kept_until_ = std::max(locks_kept_until_, until);
}

std::chrono::steady_clock::time_point RunningJob::locks_kept_until() const {
    std::lock_guard lock(mutex_);
    return locks_kept_until_;
}

void RunningJob::report_progress(json progress) {
    std::lock_guard lock(mutex_);
    progress_ = std::move(progress);
    progress_dirty_ = true;
}

void RunningJob::device_finished(const std::string& hostname) {
    const std::string name = devices::storable_json(hostname);
    std::lock_guard lock(mutex_);
    finished_devices_.add_storable(name);
    progress_dirty_ = true;
}

void RunningJob::set_change_score(int score) {
    if (score < 0 || score > 100) throw std::invalid_argument("change_score must be between 0 and 100");
    std::lock_guard lock(mutex_);
    change_score_ = score;
    progress_dirty_ = true;
}

void RunningJob::set_result_text(devices::SafeJsonText result) {
    std::lock_guard lock(mutex_);
    result_ = std::move(result);
    result_parts_ = 0;
}

// Stores each part in a statement of its own on the pool (what libpq buffers
// is one part), and makes them the result when the writer ends. Parts are
// this attempt's: a rescued attempt's late parts are never another's.
class RunningJob::ResultParts : public devices::JsonTextSink {
public:
    explicit ResultParts(RunningJob& job) : job_(job) {}

private:
    void write_part(std::string part) override {
        job_.pool_.with([&](pqxx::connection& conn) {
            pqxx::work tx(conn);
            // What an earlier sink of this attempt left (a result begun again).
            if (seq_ == 0)
                store::sql::jobs::drop_result_parts(tx, {.job_id = job_.claim_.id, .attempt = job_.claim_.attempt});
            store::sql::jobs::store_result_part(
                tx, {.job_id = job_.claim_.id, .attempt = job_.claim_.attempt, .seq = seq_, .part = part});
            tx.commit();
            return 0;
        });
        ++seq_;
        std::lock_guard lock(job_.mutex_);
        job_.wrote_result_parts_ = true;
    }
    void end() override {
        std::lock_guard lock(job_.mutex_);
        job_.result_.reset();
        job_.result_parts_ = seq_;
    }

    RunningJob& job_;
    int seq_ = 0;
};

std::unique_ptr<devices::JsonTextSink> RunningJob::result_sink() { return std::make_unique<ResultParts>(*this); }

void RunningJob::schedule_next(const std::string& function_name, json args) {
    if (function_name.empty()) throw std::invalid_argument("a next job needs a function name");
    std::lock_guard lock(mutex_);
    next_ = NextJob{function_name, std::move(args)};
}

std::int64_t RunningJob::enqueue_in(pqxx::transaction_base& tx, const tasks::LaterJob& job) {
    EnqueueRequest r;
    r.function_name = job.function_name;
    r.args = job.args;
    r.delay_seconds = static_cast<double>(job.delay.count());
    r.idempotency_key = job.idempotency_key;
    r.scheduled_by = claim_.scheduled_by;
    r.comment = job.comment;
    return enqueue(tx, registry_, settings_, r).id;
}

bool RunningJob::cancel_scheduled(pqxx::transaction_base& tx, std::int64_t id, const std::string& reason) {
    return store::sql::jobs::cancel_scheduled(
               tx, {.id = id, .reason = reason, .aborted_by = "job " + std::to_string(claim_.id)})
        .has_value();
}

void RunningJob::fill(Completion& c) {
    std::lock_guard lock(mutex_);
    // Moved, not copied: a large job's result is the biggest thing it holds,
    // and the job is over (a result set later, by a thread the watchdog
    // abandoned, is dropped).
    c.result = std::move(result_);
    result_.reset();
    c.result_parts = result_parts_;
    c.wrote_result_parts = wrote_result_parts_;
    if (!finished_devices_.empty()) c.finished_devices = finished_devices_.text();
    c.change_score = change_score_;
    c.progress = progress_;
    c.next = next_;
}

std::optional<std::string> RunningJob::take_progress() {
    std::lock_guard lock(mutex_);
    if (!progress_dirty_) return std::nullopt;
    progress_dirty_ = false;
    json head = {{"id", claim_.id}};
    head["change_score"] = change_score_ ? json(*change_score_) : json(nullptr);
    head["progress"] = progress_;
    std::string row = devices::storable_json(head);
    row.pop_back();  // its closing brace: finished_devices follows
    row.append(",\"finished_devices\":").append(finished_devices_.empty() ? "null" : finished_devices_.text());
    row += '}';
    return row;
}

}  // namespace switchyard::engine
