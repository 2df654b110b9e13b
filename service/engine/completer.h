// Writes attempt outcomes in batches: one transaction finalises many jobs,
// releases their locks and inserts their follow-up jobs. While one batch is
// being written the next one gathers, so batches grow with load and an idle
// engine still writes each outcome at once.
#pragma once

#include "engine_core.h"

#include <condition_variable>
#include <thread>
#include <vector>

namespace switchyard::engine {

class Completer {
public:
    explicit Completer(EngineCore& core);
    ~Completer();

    void start();
    void submit(Completion c);
    std::size_t backlog() const;
    // Writes what is pending, then stops; gives up on what it could not
    // write within `limit` (those jobs are left to the rescuer). False when
    // its thread is stuck in the database and was left running: the
    // completer must then outlive the engine (see Engine::stop).
    bool stop(std::chrono::milliseconds limit);

private:
    void loop(pqxx::connection& conn);
    void write(pqxx::connection& conn, std::vector<Completion>& batch);
    // After a batch failed for a reason other than the connection: each
    // outcome alone, and one the database refuses is replaced by an
    // EXCEPTION saying why. Removes what it wrote from `batch`.
    void write_one_by_one(pqxx::connection& conn, std::vector<Completion>& batch);

    // Stopping and past the stop deadline. Call with mutex_ held.
    bool out_of_time() const;

    EngineCore& core_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::condition_variable finished_cv_;
    std::vector<Completion> pending_;
    bool stopping_ = false;
    bool finished_ = false;
    std::chrono::steady_clock::time_point stop_by_;
    std::thread thread_;
};

}  // namespace switchyard::engine
