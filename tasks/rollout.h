// Staged rollouts of a live sync (issue 12 item 7): the `rollout` argument of
// sync_devices, checked, and the batches and failure budget it makes for a
// number of devices. The sync itself (sync_rollout.cpp) pushes batch by batch.
//
//   "rollout": {"batches": [1, 10, "25%", "rest"], "max_failed": 2 | "10%",
//               "pause_seconds": 60, "pause_after_first": true}
//
// Batches are cut from the devices the sync has a change to push (after every
// device was read), in hostname order. A count is that many devices, "N%" is
// N percent of them (rounded up, at least one), "rest" (last only) is every
// device left; without "rest" the last size repeats until every device is in a
// batch. max_failed (default 0) is how many of them may fail their push: once
// more have failed, no further batch starts. pause_seconds waits between two
// batches; pause_after_first suspends the rollout after its first batch until
// an operator resumes it (PUT /job/<id> {"action": "RESUME"}).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace switchyard::tasks {

// The longest pause between two batches a rollout may ask for (a longer
// wait is a suspend, ended by an operator's RESUME).
constexpr std::int64_t kMaxRolloutPauseSeconds = 86400;
// The most entries "batches" may have.
constexpr std::size_t kMaxRolloutBatchEntries = 1000;

// A share of the devices to push: a count, or a whole percentage of them.
struct DeviceShare {
    bool percent = false;
    std::int64_t value = 0;  // devices, or percent (1-100; 0-100 for a budget)
};

struct Rollout {
    std::vector<DeviceShare> batches;  // sizes, in order
    bool ends_with_rest = false;       // the last batch is every device left
    DeviceShare max_failed;            // devices allowed to fail; default 0
    std::chrono::seconds pause{0};     // between two batches
    bool pause_after_first = false;    // suspended after the first batch until resumed
};

// args["rollout"], checked; nullopt when there is none. Throws
// std::invalid_argument naming the field ("rollout.batches[2] ...").
std::optional<Rollout> parse_rollout(const nlohmann::json& args);

// The size of each batch for `devices` devices to push (their sum is
// `devices`; no batch is empty; none at all for no device).
std::vector<std::size_t> batch_sizes(const Rollout& rollout, std::size_t devices);

// How many of `devices` may fail before the rollout stops (a percentage
// rounds down: "10%" of 15 devices allows 1).
std::size_t failure_budget(const Rollout& rollout, std::size_t devices);

// The share as the request wrote it (2, "10%").
nlohmann::json to_json(const DeviceShare& share);

}  // namespace switchyard::tasks
