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
    // Writes what is pending, then stops.
    void stop();

private:
    void loop(pqxx::connection& conn);
    void write(pqxx::connection& conn, std::vector<Completion>& batch);

    EngineCore& core_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<Completion> pending_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::engine
