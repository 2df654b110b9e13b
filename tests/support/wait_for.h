// Waiting for a condition in tests: checks it until it holds or a deadline
// passes (the deadline only bounds a failing test; a passing one returns as
// soon as the condition holds).
#pragma once

#include <chrono>
#include <thread>

namespace switchyard::testing {

template <typename Predicate>
bool wait_for(Predicate&& condition, std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace switchyard::testing
