// The job engine of one process: claims jobs from the shared database, runs
// them, and (when elected) runs the maintenance services. Several processes
// may run engines on one database; nothing here is needed for correctness
// across them but the database itself.
#pragma once

#include "settings.h"
#include "tasks/task_registry.h"

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::engine {

struct EngineCore;
class Completer;
class QueueRunner;

struct EngineStats {
    std::uint64_t claimed, finished, failed, aborted, retried, dropped, rescued;
    std::size_t running;
};

class Engine {
public:
    Engine(Settings settings, const tasks::TaskRegistry& registry, std::string database_url);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Registers this process as a worker and starts its threads. Throws when
    // the database cannot be reached.
    void start();
    // Graceful and bounded: stops claiming, lets running jobs finish for
    // jobs.shutdown_grace_seconds, asks the rest to abort and gives them
    // jobs.shutdown_abort_seconds, writes the outcomes it holds within as long
    // again, and leaves what still runs to the rescuer (the worker is retired
    // saying so). Threads still inside a task are left running. Returns false
    // when any thread was left: the process should exit soon, without
    // running static destructors (see serve).
    bool stop();

    std::int64_t worker_id() const;
    EngineStats stats() const;

private:
    std::unique_ptr<EngineCore> core_;
    std::unique_ptr<Completer> completer_;
    std::vector<std::unique_ptr<QueueRunner>> queues_;
    std::vector<std::thread> threads_;
    bool started_ = false;
    bool stopped_cleanly_ = true;
    std::int64_t abandoned_worker_id_ = 0;  // worker_id() once core_ was handed to the abandoned threads
};

}  // namespace switchyard::engine
