// /health's question to the database ("do you answer?"), answered within a
// deadline whatever the database does.
//
// The check runs on a thread of its own, on a connection of its own (the
// API's pool may be all busy with slow work). A database that accepts but
// never answers (a hung server; a network lost after the connection was
// made: TCP keeps retransmitting for minutes) holds that thread, never the
// caller: the caller is told "no" once the deadline passes, and at once
// while a check is already overdue, so /health answers 503 in bounded time
// and the health lane never queues behind a hung statement.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace switchyard::api {

class HealthProbe {
public:
    HealthProbe(std::string database_url, std::chrono::seconds deadline);
    ~HealthProbe();
    HealthProbe(const HealthProbe&) = delete;
    HealthProbe& operator=(const HealthProbe&) = delete;

    // True when the database answered a check begun after this call, within
    // the deadline.
    bool database_ok();

    struct State;  // shared with the checking thread, which may outlive us

private:
    std::shared_ptr<State> state_;
    std::thread thread_;
};

}  // namespace switchyard::api
