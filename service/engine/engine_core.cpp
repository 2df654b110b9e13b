#include "engine_core.h"

#include "queue_runner.h"
#include "store/queries.h"

#include <unistd.h>

namespace switchyard::engine {

void RunningJobs::add(std::shared_ptr<RunningJob> job) {
    std::lock_guard lock(mutex_);
    jobs_[job->claim().id] = std::move(job);
}

void RunningJobs::remove(std::int64_t id, int attempt) {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it != jobs_.end() && it->second->claim().attempt == attempt) jobs_.erase(it);
}

std::shared_ptr<RunningJob> RunningJobs::find(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<RunningJob>> RunningJobs::all() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<RunningJob>> out;
    for (auto& [id, job] : jobs_) out.push_back(job);
    return out;
}

std::size_t RunningJobs::size() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

EngineCore::EngineCore(Settings s, const tasks::TaskRegistry& r, std::string u)
    : settings(std::move(s)),
      registry(r),
      url(std::move(u)),
      pool(url, settings.database.pool_size, settings.database.connect_timeout_seconds),
      lease(std::chrono::seconds(settings.jobs.worker_lease_seconds),
            std::chrono::milliseconds(settings.jobs.heartbeat_interval_ms)) {
    sinks = spdlog::default_logger()->sinks();
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    hostname = host;
}

void EngineCore::wake(const std::string& queue) {
    for (auto& [name, runner] : queues)
        if (queue.empty() || name == queue) runner->wake();
}

std::int64_t EngineCore::register_worker(pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto worker = store::sql::workers::register_worker(
        tx, {.hostname = hostname,
             .pid = static_cast<int>(getpid()),
             .lease_seconds = static_cast<int>(settings.jobs.worker_lease_seconds.count())});
    tx.commit();
    lease.renewed();
    return worker.id;
}

}  // namespace switchyard::engine
