// State shared by the engine's threads. Internal to service/engine.
#pragma once

#include "claimed_job.h"
#include "running_job.h"
#include "settings.h"
#include "stop_signal.h"
#include "store/database.h"
#include "tasks/task_registry.h"

#include <spdlog/spdlog.h>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchyard::engine {

class Completer;
class QueueRunner;

// The jobs this process is running, by id.
class RunningJobs {
public:
    void add(std::shared_ptr<RunningJob> job);
    // Removes the job's entry if it is still that attempt (a retry may
    // already be running again under the same id).
    void remove(std::int64_t id, int attempt);
    std::shared_ptr<RunningJob> find(std::int64_t id) const;
    std::vector<std::shared_ptr<RunningJob>> all() const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::map<std::int64_t, std::shared_ptr<RunningJob>> jobs_;
};

struct EngineCounters {
    std::atomic<std::uint64_t> claimed{0};
    std::atomic<std::uint64_t> finished{0};  // FINISHED
    std::atomic<std::uint64_t> failed{0};    // EXCEPTION
    std::atomic<std::uint64_t> aborted{0};   // ABORTED
    std::atomic<std::uint64_t> retried{0};   // back to SCHEDULED
    std::atomic<std::uint64_t> dropped{0};   // completions fenced out (job rescued meanwhile)
    std::atomic<std::uint64_t> rescued{0};   // jobs this process's rescuer handled
};

struct EngineCore {
    EngineCore(Settings s, const tasks::TaskRegistry& r, std::string u);

    Settings settings;
    const tasks::TaskRegistry& registry;
    std::string url;
    store::ConnectionPool pool;
    std::vector<spdlog::sink_ptr> sinks;
    std::string hostname;

    std::atomic<std::int64_t> worker_id{0};
    LeaseWatch lease;          // renewed by the heartbeat (heartbeat.cpp)
    StopSignal stop_claiming;  // first stage of shutdown
    StopSignal stop_all;       // last stage
    RunningJobs running;
    EngineCounters counters;

    Completer* completer = nullptr;
    std::map<std::string, QueueRunner*> queues;

    // Wakes the claimers of a queue (a NOTIFY arrived); all queues when empty.
    void wake(const std::string& queue);
    // Registers this process as a new worker; returns its id.
    std::int64_t register_worker(pqxx::connection& conn);
};

// Runs `body(conn)` on a connection of its own until `stop` (stop_all when
// not given), reconnecting with backoff when the database goes away; a
// thread of the engine never dies.
template <typename Body>
void with_reconnects(EngineCore& core, const char* what, Body body, StopSignal* stop = nullptr) {
    StopSignal& until = stop ? *stop : core.stop_all;
    if (until.requested()) return;
    store::run_connected(core.url, core.settings.database.connect_timeout_seconds, what, body,
                         [&](std::chrono::milliseconds backoff) { return until.wait_for(backoff); });
}

}  // namespace switchyard::engine
