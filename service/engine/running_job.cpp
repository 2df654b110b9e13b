#include "running_job.h"

#include "locks/lock_store.h"

#include <spdlog/spdlog.h>
#include <thread>

namespace switchyard::engine {

using nlohmann::json;

RunningJob::RunningJob(ClaimedJob claim, store::ConnectionPool& pool, std::vector<spdlog::sink_ptr> sinks,
                       std::chrono::milliseconds lock_poll)
    : claim_(std::move(claim)), pool_(pool), sinks_(std::move(sinks)), lock_poll_(lock_poll) {
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
}

bool RunningJob::timed_out() const {
    std::lock_guard lock(mutex_);
    return timed_out_;
}

void RunningJob::acquire_lock(const std::string& name, std::chrono::milliseconds wait) {
    locks::validate_lock_name(name);
    auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
        std::optional<locks::LockHolder> held_by;
        bool got = pool_.with([&](pqxx::connection& conn) {
            pqxx::work tx(conn);
            bool ok = locks::try_acquire(tx, name, claim_.id);
            if (!ok) held_by = locks::holder(tx, name);
            tx.commit();
            return ok;
        });
        if (got) return;
        check_abort();
        if (std::chrono::steady_clock::now() >= until) {
            std::string who = held_by ? "job " + std::to_string(held_by->job_id) +
                                            (held_by->function_name.empty() ? "" : " (" + held_by->function_name + ")")
                                      : "another job";
            throw tasks::LockBusy("lock '" + name + "' is held by " + who + "; waited " +
                                  std::to_string(wait.count() / 1000.0).substr(0, 5) + " s");
        }
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            lock_poll_, until - std::chrono::steady_clock::now()));
    }
}

void RunningJob::report_progress(json progress) {
    std::lock_guard lock(mutex_);
    progress_ = std::move(progress);
    progress_dirty_ = true;
}

void RunningJob::device_finished(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    finished_devices_.push_back(hostname);
    progress_dirty_ = true;
}

void RunningJob::set_change_score(int score) {
    if (score < 0 || score > 100) throw std::invalid_argument("change_score must be between 0 and 100");
    std::lock_guard lock(mutex_);
    change_score_ = score;
    progress_dirty_ = true;
}

void RunningJob::set_result(json result) {
    std::lock_guard lock(mutex_);
    result_ = std::move(result);
}

void RunningJob::schedule_next(const std::string& function_name, json args) {
    if (function_name.empty()) throw std::invalid_argument("a next job needs a function name");
    std::lock_guard lock(mutex_);
    next_ = NextJob{function_name, std::move(args)};
}

void RunningJob::fill(Completion& c) {
    std::lock_guard lock(mutex_);
    c.result = result_;
    if (!finished_devices_.empty()) c.finished_devices = finished_devices_;
    c.change_score = change_score_;
    c.progress = progress_;
    c.next = next_;
}

std::optional<json> RunningJob::take_progress() {
    std::lock_guard lock(mutex_);
    if (!progress_dirty_) return std::nullopt;
    progress_dirty_ = false;
    json row = {{"id", claim_.id}};
    row["finished_devices"] = finished_devices_.empty() ? json(nullptr) : json(finished_devices_);
    row["change_score"] = change_score_ ? json(*change_score_) : json(nullptr);
    row["progress"] = progress_;
    return row;
}

}  // namespace switchyard::engine
