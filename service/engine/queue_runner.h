// One queue's claimer and its workers: claims due jobs in batches (up to the
// free slots of the queue's concurrency), runs each on a worker thread, and
// hands the outcome to the completer.
#pragma once

#include "engine_core.h"

#include <condition_variable>
#include <deque>
#include <thread>
#include <vector>

namespace switchyard::engine {

class QueueRunner {
public:
    QueueRunner(EngineCore& core, std::string queue, int concurrency);
    ~QueueRunner();

    void start();
    // A NOTIFY said jobs are waiting: claim now rather than at the next poll.
    void wake();
    // Stops claiming; running jobs go on.
    void stop_claiming();
    // Joins the threads that ended; detaches those still stuck in a task
    // that ignores aborts (the process is about to exit).
    void finish();
    // A job was abandoned after its timeout: its thread is stuck, so add one.
    void add_replacement_worker();

private:
    void claim_loop();
    void worker_loop();
    void run(const std::shared_ptr<RunningJob>& job);
    std::size_t claim(pqxx::connection& conn, int wanted);

    EngineCore& core_;
    std::string queue_;
    int concurrency_;

    std::mutex mutex_;
    std::condition_variable claim_cv_;
    std::condition_variable work_cv_;
    bool woken_ = true;
    bool stopping_ = false;
    int busy_ = 0;  // claimed and not yet ended
    std::deque<std::shared_ptr<RunningJob>> ready_;

    std::thread claimer_;
    std::vector<std::thread> workers_;
};

}  // namespace switchyard::engine
