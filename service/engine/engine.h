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
    // Graceful: stops claiming, lets running jobs finish for
    // jobs.shutdown_grace_seconds, asks the rest to abort, and leaves any that
    // still run to the rescuer (retried when safe, else ended with the reason).
    void stop();

    std::int64_t worker_id() const;
    EngineStats stats() const;

private:
    std::unique_ptr<EngineCore> core_;
    std::unique_ptr<Completer> completer_;
    std::vector<std::unique_ptr<QueueRunner>> queues_;
    std::vector<std::thread> threads_;
    bool started_ = false;
};

}  // namespace switchyard::engine
