#include "engine.h"

#include "completer.h"
#include "engine_core.h"
#include "housekeeper.h"
#include "listener.h"
#include "maintenance.h"
#include "queue_runner.h"
#include "store/queries.h"

namespace switchyard::engine {

using Clock = std::chrono::steady_clock;

Engine::Engine(Settings settings, const tasks::TaskRegistry& registry, std::string database_url)
    : core_(std::make_unique<EngineCore>(std::move(settings), registry, std::move(database_url))) {}

Engine::~Engine() { stop(); }

void Engine::start() {
    if (started_) return;
    {
        auto conn = store::connect(core_->url, core_->settings.database.connect_timeout_seconds);
        core_->worker_id = core_->register_worker(*conn);
    }
    completer_ = std::make_unique<Completer>(*core_);
    core_->completer = completer_.get();
    for (auto& [name, concurrency] : core_->settings.jobs.queues) {
        queues_.push_back(std::make_unique<QueueRunner>(*core_, name, concurrency));
        core_->queues[name] = queues_.back().get();
    }
    completer_->start();
    for (auto& q : queues_) q->start();
    threads_.emplace_back([this] { run_listener(*core_); });
    threads_.emplace_back([this] { run_housekeeper(*core_); });
    threads_.emplace_back([this] { run_maintenance(*core_); });
    started_ = true;
    spdlog::info("worker {} started on {} queue(s)", core_->worker_id.load(), queues_.size());
}

void Engine::stop() {
    if (!started_) return;
    started_ = false;
    for (auto& q : queues_) q->stop_claiming();

    auto wait_until_idle = [&](std::chrono::seconds limit) {
        auto until = Clock::now() + limit;
        while (core_->running.size() > 0 && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return core_->running.size() == 0;
    };
    if (!wait_until_idle(std::chrono::seconds(core_->settings.jobs.shutdown_grace_seconds))) {
        spdlog::warn("{} job(s) still running after {} s; asking them to abort", core_->running.size(),
                     core_->settings.jobs.shutdown_grace_seconds.count());
        for (auto& job : core_->running.all()) job->request_abort("the service is shutting down", false);
        wait_until_idle(std::max(std::chrono::seconds(1), core_->settings.jobs.timeout_grace_seconds));
    }
    completer_->stop();  // writes every outcome it holds

    std::size_t left = core_->running.size();
    try {
        core_->pool.with([&](pqxx::connection& conn) {
            pqxx::nontransaction tx(conn);
            store::sql::workers::retire(
                tx, {.worker_id = core_->worker_id.load(),
                     .reason = left ? "stopped with " + std::to_string(left) + " job(s) still running" : "stopped"});
            return 0;
        });
    } catch (const std::exception& e) {
        spdlog::error("could not retire worker {}: {}", core_->worker_id.load(), e.what());
    }
    if (left) spdlog::error("{} job(s) did not stop; the rescuer will retry or end them", left);

    core_->stop_all.request();
    for (auto& t : threads_) t.join();
    threads_.clear();
    for (auto& q : queues_) q->finish();
    spdlog::info("worker {} stopped", core_->worker_id.load());
}

std::int64_t Engine::worker_id() const { return core_->worker_id.load(); }

EngineStats Engine::stats() const {
    auto& c = core_->counters;
    return {c.claimed.load(), c.finished.load(), c.failed.load(), c.aborted.load(),
            c.retried.load(), c.dropped.load(),  c.rescued.load(), core_->running.size()};
}

}  // namespace switchyard::engine
