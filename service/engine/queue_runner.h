// One queue's claimer and its workers: claims due jobs in batches (up to the
// free slots of the queue's concurrency), runs each on a worker thread, and
// hands the outcome to the completer.
#pragma once

#include "engine_core.h"

#include <condition_variable>
#include <deque>
#include <list>
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
    // Stops claiming; running jobs go on. Returns once a claim in flight has
    // landed (its jobs are then running here, or ready to).
    void stop_claiming();
    // Forgets jobs claimed but not started (shutdown: they are left to the
    // rescuer, and no worker may start them any more).
    void drop_unstarted();
    // Stops claiming and joins the threads, except those still inside a task
    // (one that ignores aborts, or is stuck in a device read): they are left
    // running, and the runner must then outlive the engine (Engine::stop).
    // Jobs claimed but not started are dropped (left to the rescuer).
    // Returns how many threads were left.
    std::size_t finish();
    // A job was abandoned after its timeout: its thread is stuck, so add one.
    void add_replacement_worker();

private:
    void claim_loop();
    struct Worker {
        std::thread thread;
        bool in_task = false;  // guarded by mutex_
        bool done = false;     // guarded by mutex_
    };
    void add_worker();  // call with mutex_ held
    void worker_loop(Worker& self);
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
    std::list<Worker> workers_;  // a list: each thread holds its own entry
};

}  // namespace switchyard::engine
