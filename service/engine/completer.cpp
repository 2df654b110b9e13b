#include "completer.h"

#include "devices/json_text.h"
#include "devices/secret_masker.h"
#include "job_outcome.h"
#include "job_store.h"
#include "locks/lock_store.h"
#include "recovery.h"
#include "store/queries.h"
#include "store/savepoint.h"
#include "thread_name.h"

#include <set>

namespace switchyard::engine {

using nlohmann::json;

namespace {

// Enough of a database error to say why, without what PostgreSQL quotes of
// the data (its DETAIL and CONTEXT lines may hold device text).
std::string first_line(const char* what) {
    constexpr std::size_t kMaxChars = 300;
    std::string text(what);
    text = text.substr(0, std::min(text.find('\n'), kMaxChars));
    if (text.rfind("ERROR:", 0) == 0) text.erase(0, text.find_first_not_of(' ', 6));
    return devices::safe_text(text);
}

}  // namespace

Completer::Completer(EngineCore& core) : core_(core) {}

Completer::~Completer() {
    if (thread_.joinable()) stop(std::chrono::seconds(core_.settings.jobs.shutdown_abort_seconds));
}

void Completer::start() {
    thread_ = std::thread([this] {
        name_this_thread("sy-completer");
        // Runs until stop() has drained everything (even past stop_all), or
        // until the stop deadline.
        store::run_connected(
            core_.url, core_.settings.database.connect_timeout_seconds, "completer",
            [this](pqxx::connection& conn) { loop(conn); },
            [this](std::chrono::milliseconds backoff) {
                std::unique_lock lock(mutex_);
                cv_.wait_for(lock, backoff, [&] { return out_of_time(); });
                return stopping_ && (pending_.empty() || out_of_time());
            });
        std::lock_guard lock(mutex_);
        if (!pending_.empty())
            spdlog::error(
                "{} job outcome(s) could not be stored before the shutdown deadline; the rescuer will end "
                "or retry those jobs",
                pending_.size());
        pending_.clear();
        finished_ = true;
        finished_cv_.notify_all();
    });
}

bool Completer::out_of_time() const { return stopping_ && std::chrono::steady_clock::now() >= stop_by_; }

void Completer::submit(Completion c) {
    // Every outcome passes here: what a task wrote or threw is stored (and
    // so shown by the API, the CLI and events) only as valid UTF-8 with its
    // secrets masked. Done on the job's thread, not the completer's.
    // The result came masked (devices::SafeJsonText).
    devices::make_safe(c.exception);
    devices::make_safe(c.error);
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(c));
    cv_.notify_one();
}

std::size_t Completer::backlog() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

bool Completer::stop(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    if (!stopping_) {
        stopping_ = true;
        stop_by_ = std::chrono::steady_clock::now() + limit;
    }
    cv_.notify_all();
    if (!thread_.joinable()) return true;
    bool ended = finished_cv_.wait_until(lock, stop_by_, [&] { return finished_; });
    lock.unlock();
    if (ended) {
        thread_.join();
        return true;
    }
    spdlog::error(
        "the completer did not finish by the shutdown deadline (a database statement that does not "
        "return); leaving it behind");
    thread_.detach();
    return false;
}

void Completer::loop(pqxx::connection& conn) {
    std::vector<Completion> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return !pending_.empty() || stopping_; });
            if (pending_.empty() || out_of_time()) return;  // stopping, and drained or out of time
            std::size_t n = std::min<std::size_t>(pending_.size(), core_.settings.jobs.complete_batch);
            batch.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.begin() + n));
            pending_.erase(pending_.begin(), pending_.begin() + n);
        }
        try {
            try {
                write(conn, batch);
                batch.clear();
            } catch (const std::exception& e) {
                if (store::is_connection_error(e)) throw;
                // One outcome the database refuses must not hold back the
                // others (nor, retried forever, every later job).
                spdlog::error("completer: a batch of {} outcome(s) could not be stored ({}); storing them one by one",
                              batch.size(), first_line(e.what()));
                write_one_by_one(conn, batch);
            }
        } catch (...) {
            // Keep what is left: it is written again once the database is
            // back. Writing twice is harmless: the statement only touches
            // rows this worker still runs in that attempt.
            std::lock_guard lock(mutex_);
            pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()),
                            std::make_move_iterator(batch.end()));
            throw;
        }
    }
}

void Completer::write_one_by_one(pqxx::connection& conn, std::vector<Completion>& batch) {
    while (!batch.empty()) {
        std::vector<Completion> one{batch.front()};
        try {
            write(conn, one);
        } catch (const std::exception& e) {
            if (store::is_connection_error(e)) throw;
            std::string reason = first_line(e.what());
            spdlog::error("job {} attempt {}: its outcome {} could not be stored: {}; ending it EXCEPTION", one[0].id,
                          one[0].attempt, to_string(one[0].status), reason);
            std::vector<Completion> failed{unstorable_outcome(one[0], reason)};
            try {
                write(conn, failed);
            } catch (const std::exception& again) {
                if (store::is_connection_error(again)) throw;
                // Left RUNNING with no thread: the orphan check hands it to
                // the rescuer.
                spdlog::error("job {} attempt {}: not even its failure could be stored: {}", one[0].id, one[0].attempt,
                              first_line(again.what()));
                core_.running.remove(one[0].id, one[0].attempt);
                ++core_.counters.dropped;
            }
        }
        batch.erase(batch.begin());
    }
}

void Completer::write(pqxx::connection& conn, std::vector<Completion>& batch) {
    // Each worker's rows as one JSON array text. The large members (a job's
    // result holds every device's entry) are written straight to text, not
    // copied into a row document first; the batch keeps them in case it has
    // to be written again.
    std::map<std::int64_t, std::string> rows_by_worker;
    for (auto& c : batch) {
        json head = {{"id", c.id}, {"attempt", c.attempt}, {"status", c.status}};  // JobStatus as its name
        if (c.status == JobStatus::scheduled) head["retry_in_seconds"] = c.retry_in_seconds;
        if (c.status == JobStatus::aborted && !c.abort_reason.empty()) head["abort_reason"] = c.abort_reason;
        if (c.change_score) head["change_score"] = *c.change_score;
        if (c.result_parts > 0 && !c.result) head["result_parts"] = c.result_parts;
        auto& rows = rows_by_worker[c.worker_id];
        rows += rows.empty() ? '[' : ',';
        rows += devices::storable_json(head);
        rows.pop_back();  // its closing brace: the members below follow
        if (c.result) rows.append(",\"result\":").append(c.result->text());
        for (const auto& [name, value] : {std::pair<const char*, const json*>{"exception", &c.exception},
                                          {"error", &c.error},
                                          {"progress", &c.progress}})
            if (!value->is_null()) rows.append(",\"").append(name).append("\":").append(devices::storable_json(*value));
        if (!c.finished_devices.empty()) rows.append(",\"finished_devices\":").append(c.finished_devices);
        rows += '}';
    }
    for (auto& [worker, rows] : rows_by_worker) rows += ']';

    std::set<std::int64_t> written;
    {
        pqxx::work tx(conn);
        for (auto& [worker, rows] : rows_by_worker)
            for (auto& r : store::sql::jobs::complete(
                     tx, sqlgen::prepared,
                     {.completions = sqlgen::JsonText::raw(std::move(rows)), .worker_id = worker}))
                written.insert(r.id);
        for (auto& c : batch) {
            if (c.status != JobStatus::finished || !c.next || !written.count(c.id)) continue;
            // A follow-up that cannot be enqueued must not undo the batch.
            store::Savepoint part(tx, "next_job");
            auto& sub = part.tx();
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
        // A job ending abnormally with work half done gets its recovery job
        // (and its locks) in this same transaction.
        std::vector<AbnormalEnd> abnormal;
        for (auto& c : batch)
            if ((c.status == JobStatus::exception || c.status == JobStatus::aborted) && written.count(c.id))
                abnormal.push_back({{c.id, c.attempt}, c.scheduled_by});
        schedule_recoveries(tx, core_.registry, core_.settings, abnormal);
        // What was not handed over is released with the job's end.
        locks::release_for_jobs(tx, {written.begin(), written.end()});
        // Parts of a result written in parts are now the result, or were
        // replaced, or were left by an attempt that never completed: a round
        // trip only when an attempt of the batch wrote some.
        std::vector<std::int64_t> with_parts;
        for (auto& c : batch)
            if (c.wrote_result_parts && written.count(c.id)) with_parts.push_back(c.id);
        if (!with_parts.empty()) store::sql::jobs::drop_ended_result_parts(tx, {with_parts});
        tx.commit();
    }

    for (auto& c : batch) {
        core_.running.remove(c.id, c.attempt);
        if (!written.count(c.id)) {
            ++core_.counters.dropped;
            spdlog::warn(
                "job {} attempt {}: outcome {} not stored: the job was no longer this worker's "
                "(rescued or ended meanwhile)",
                c.id, c.attempt, to_string(c.status));
            continue;
        }
        if (c.status == JobStatus::finished) ++core_.counters.finished;
        else if (c.status == JobStatus::exception) ++core_.counters.failed;
        else if (c.status == JobStatus::aborted) ++core_.counters.aborted;
        else ++core_.counters.retried;
    }
}

}  // namespace switchyard::engine
