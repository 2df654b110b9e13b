// One running attempt: the JobContext its task sees, and the state the engine
// keeps about it (abort flag, deadline, progress waiting to be flushed).
#pragma once

#include "devices/json_text.h"

#include "claimed_job.h"
#include "lease_watch.h"
#include "settings.h"
#include "store/database.h"
#include "tasks/job_context.h"
#include "tasks/task_registry.h"

#include <spdlog/sinks/sink.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>

namespace switchyard::engine {

class RunningJob : public tasks::JobContext {
public:
    // `registry` and `settings` (the engine's) check the jobs it enqueues.
    RunningJob(ClaimedJob claim, store::ConnectionPool& pool, std::vector<spdlog::sink_ptr> sinks,
               std::chrono::milliseconds lock_poll, const LeaseWatch& lease, const tasks::TaskRegistry& registry,
               const Settings& settings);

    // JobContext
    const tasks::JobInfo& job() const override { return info_; }
    const nlohmann::json& args() const override { return claim_.args; }
    spdlog::logger& log() override;
    bool abort_requested() const override { return abort_.load(std::memory_order_relaxed); }
    std::string abort_reason() const override;
    bool suspend_requested() const override { return suspend_.load(std::memory_order_relaxed); }
    void suspend_self() override;
    void wait_for_request(std::chrono::steady_clock::time_point until) const override;
    void acquire_locks(const std::vector<std::string>& names, std::chrono::milliseconds wait) override;
    void fence() override;
    std::stop_token device_stop() const override { return device_stop_.get_token(); }
    void keep_locks_until(std::chrono::steady_clock::time_point until) override;
    void report_progress(nlohmann::json progress) override;
    void device_finished(const std::string& hostname) override;
    void set_change_score(int score) override;
    void set_result_text(devices::SafeJsonText result) override;
    std::unique_ptr<devices::JsonTextSink> result_sink() override;
    void schedule_next(const std::string& function_name, nlohmann::json args) override;
    std::int64_t enqueue_in(pqxx::transaction_base& tx, const tasks::LaterJob& job) override;
    bool cancel_scheduled(pqxx::transaction_base& tx, std::int64_t id, const std::string& reason) override;

    // Engine side
    const ClaimedJob& claim() const { return claim_; }
    void request_abort(const std::string& reason, bool timeout);
    // The lease guard's: asks the job to abort and fires device_stop().
    // True the first time.
    bool stop_devices(const std::string& reason);
    bool timed_out() const;
    // The housekeeper keeps suspend_requested() current from the database:
    // it takes the epoch before it reads the flag and hands both back, so a
    // read made before the job suspended itself cannot undo that.
    std::uint64_t suspend_epoch() const;
    void set_suspend_requested(bool requested, std::uint64_t epoch_read_at);
    std::chrono::steady_clock::time_point deadline() const { return deadline_; }
    // Before this, the job's thread may still be changing a device.
    std::chrono::steady_clock::time_point locks_kept_until() const;
    // Moves the result, progress and next job into a completion.
    void fill(Completion& c);
    // Progress changed since the last call: {"id", "finished_devices",
    // "change_score", "progress"} as JSON text for the database.
    std::optional<std::string> take_progress();
    // The first caller wins: the task's own end, or the watchdog abandoning it.
    bool mark_completed() { return !completed_.exchange(true); }

private:
    class ResultParts;  // result_sink()'s

    ClaimedJob claim_;
    tasks::JobInfo info_;
    store::ConnectionPool& pool_;
    std::vector<spdlog::sink_ptr> sinks_;
    std::chrono::milliseconds lock_poll_;
    std::chrono::steady_clock::time_point deadline_;
    const LeaseWatch& lease_;
    const tasks::TaskRegistry& registry_;
    const Settings& settings_;
    std::stop_source device_stop_;

    std::once_flag logger_once_;
    std::shared_ptr<spdlog::logger> logger_;
    std::atomic<bool> abort_{false};
    std::atomic<bool> completed_{false};
    std::atomic<bool> suspend_{false};

    mutable std::mutex mutex_;
    mutable std::condition_variable requests_changed_;  // an abort, a suspend or a resume
    std::uint64_t suspend_epoch_ = 0;
    std::string abort_reason_;
    bool timed_out_ = false;
    std::optional<devices::SafeJsonText> result_;
    int result_parts_ = 0;  // > 0: the result is this many parts in job_result_parts, not result_
    bool wrote_result_parts_ = false;
    nlohmann::json progress_;
    // Kept as the array's text: the housekeeper writes it every
    // jobs.progress_flush_ms, and a 10,000-device job's list as a tree was
    // 640 KB made again for each write (issue 16).
    devices::StorableJsonArray finished_devices_;
    std::optional<int> change_score_;
    std::optional<NextJob> next_;
    bool progress_dirty_ = false;
    std::vector<std::string> held_locks_;
    std::chrono::steady_clock::time_point locks_kept_until_{};
};

}  // namespace switchyard::engine
