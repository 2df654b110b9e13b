// When a job's batch of texts is written, and that a database gone away is
// tried once per interval, not once per device done (batch_schedule.h).
#include "tasks/batch_schedule.h"

#include <catch2/catch.hpp>

using namespace switchyard::tasks;
using namespace std::chrono_literals;

TEST_CASE("a batch is due by its size or once the interval has passed", "[batch_schedule]") {
    BatchSchedule s(2000ms);
    const BatchSchedule::Clock::time_point t0{std::chrono::hours(1)};
    CHECK(s.due(1, 10, t0));  // the first device done is written at once
    s.attempting(t0);
    s.succeeded();
    CHECK_FALSE(s.due(1, 10, t0 + 1ms));
    CHECK_FALSE(s.due(BatchSchedule::kDevices - 1, BatchSchedule::kBytes - 1, t0 + 1999ms));
    CHECK(s.due(BatchSchedule::kDevices, 0, t0 + 1ms));
    CHECK(s.due(1, BatchSchedule::kBytes, t0 + 1ms));
    CHECK(s.due(1, 10, t0 + 2000ms));
}

TEST_CASE("after a failed attempt a full batch waits for the interval", "[batch_schedule]") {
    BatchSchedule s(2000ms);
    const BatchSchedule::Clock::time_point t0{std::chrono::hours(1)};
    s.attempting(t0);
    s.failed();
    // The batch kept for the next try is full: without the wait every
    // device done would try the database again on the job's thread.
    CHECK_FALSE(s.due(BatchSchedule::kDevices * 5, BatchSchedule::kBytes * 2, t0 + 1ms));
    CHECK_FALSE(s.due(BatchSchedule::kDevices * 5, BatchSchedule::kBytes * 2, t0 + 1999ms));
    CHECK(s.due(BatchSchedule::kDevices * 5, BatchSchedule::kBytes * 2, t0 + 2000ms));
    s.attempting(t0 + 2000ms);
    s.failed();
    CHECK_FALSE(s.due(BatchSchedule::kDevices * 5, 0, t0 + 3000ms));
    s.attempting(t0 + 4000ms);
    s.succeeded();
    // Written again: the size rule holds once more.
    CHECK(s.due(BatchSchedule::kDevices, 0, t0 + 4001ms));
    CHECK_FALSE(s.due(1, 0, t0 + 4001ms));
}
