#include "completer.h"

#include "devices/secret_masker.h"
#include "job_store.h"
#include "locks/lock_store.h"
#include "store/queries.h"

#include <set>

namespace switchyard::engine {

using nlohmann::json;

Completer::Completer(EngineCore& core) : core_(core) {}

Completer::~Completer() { stop(); }

void Completer::start() {
    thread_ = std::thread([this] {
        // Runs until stop() has drained everything, even past stop_all.
        store::run_connected(core_.url, core_.settings.database.connect_timeout_seconds, "completer",
                             [this](pqxx::connection& conn) { loop(conn); },
                             [this](std::chrono::milliseconds backoff) {
                                 {
                                     std::lock_guard lock(mutex_);
                                     if (stopping_ && pending_.empty()) return true;
                                 }
                                 std::this_thread::sleep_for(backoff);
                                 return false;
                             });
    });
}

void Completer::submit(Completion c) {
    // Every outcome passes here: what a task wrote or threw is stored (and
    // so shown by the API, the CLI and events) only as valid UTF-8 with its
    // secrets masked. Done on the job's thread, not the completer's.
    c.result = devices::safe_json(c.result);
    c.exception = devices::safe_json(c.exception);
    c.error = devices::safe_json(c.error);
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(c));
    cv_.notify_one();
}

std::size_t Completer::backlog() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

void Completer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void Completer::loop(pqxx::connection& conn) {
    std::vector<Completion> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return !pending_.empty() || stopping_; });
            if (pending_.empty()) return;  // stopping and drained
            std::size_t n = std::min<std::size_t>(pending_.size(), core_.settings.jobs.complete_batch);
            batch.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.begin() + n));
            pending_.erase(pending_.begin(), pending_.begin() + n);
        }
        try {
            write(conn, batch);
        } catch (...) {
            // Keep the batch: it is written again once the database is back.
            // Writing twice is harmless: the statement only touches rows this
            // worker still runs in that attempt.
            std::lock_guard lock(mutex_);
            pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
            throw;
        }
        batch.clear();
    }
}

void Completer::write(pqxx::connection& conn, std::vector<Completion>& batch) {
    std::map<std::int64_t, json> rows_by_worker;
    for (auto& c : batch) {
        json row = {{"id", c.id}, {"attempt", c.attempt}, {"status", c.status}};  // JobStatus as its name
        if (!c.result.is_null()) row["result"] = c.result;
        if (!c.exception.is_null()) row["exception"] = c.exception;
        if (!c.error.is_null()) row["error"] = c.error;
        if (c.status == JobStatus::scheduled) row["retry_in_seconds"] = c.retry_in_seconds;
        if (!c.finished_devices.is_null()) row["finished_devices"] = c.finished_devices;
        if (c.change_score) row["change_score"] = *c.change_score;
        if (!c.progress.is_null()) row["progress"] = c.progress;
        auto& rows = rows_by_worker[c.worker_id];
        if (rows.is_null()) rows = json::array();
        rows.push_back(std::move(row));
    }

    std::set<std::int64_t> written;
    {
        pqxx::work tx(conn);
        for (auto& [worker, rows] : rows_by_worker)
            for (auto& r : store::sql::jobs::complete(tx, sqlgen::prepared, {.completions = rows, .worker_id = worker}))
                written.insert(r.id);
        for (auto& c : batch) {
            if (c.status != JobStatus::finished || !c.next || !written.count(c.id)) continue;
            // A follow-up that cannot be enqueued must not undo the batch.
            pqxx::subtransaction sub(tx, "next_job");
            try {
                EnqueueRequest next;
                next.function_name = c.next->function_name;
                next.args = c.next->args;
                next.scheduled_by = c.scheduled_by;
                next.comment = "scheduled by job " + std::to_string(c.id);
                auto id = enqueue(sub, core_.registry, core_.settings, next).id;
                store::sql::jobs::set_next_job(sub, {.id = c.id, .next_job_id = id});
                // The follow-up (a confirm, a recovery) inherits the locks:
                // nothing can take its devices between the two jobs.
                locks::hand_over(sub, c.id, c.attempt, id);
                sub.commit();
            } catch (const std::exception& e) {
                spdlog::error("job {}: could not schedule its next job {}: {}", c.id, c.next->function_name, e.what());
            }
        }
        // What was not handed over is released with the job's end.
        locks::release_for_jobs(tx, {written.begin(), written.end()});
        tx.commit();
    }

    for (auto& c : batch) {
        core_.running.remove(c.id, c.attempt);
        if (!written.count(c.id)) {
            ++core_.counters.dropped;
            spdlog::warn("job {} attempt {}: outcome {} not stored: the job was no longer this worker's "
                         "(rescued or ended meanwhile)", c.id, c.attempt, to_string(c.status));
            continue;
        }
        if (c.status == JobStatus::finished) ++core_.counters.finished;
        else if (c.status == JobStatus::exception) ++core_.counters.failed;
        else if (c.status == JobStatus::aborted) ++core_.counters.aborted;
        else ++core_.counters.retried;
    }
}

}  // namespace switchyard::engine
