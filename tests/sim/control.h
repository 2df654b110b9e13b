// Out-of-band control for tests: one JSON request per line on a unix socket,
// one JSON reply line. See README.md for the operations.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "device.h"

namespace sim {

struct ControlTarget {
    const std::vector<std::unique_ptr<Device>>* devices = nullptr;
    std::function<nlohmann::json()> stats;
};

// Never throws: errors come back as {"ok": false, "error": "..."}.
nlohmann::json handle_control(const nlohmann::json& request, const ControlTarget& target);

// Client side, used by `switchyard-sim --ctl` and the tests.
// Throws std::runtime_error when the socket cannot be reached.
nlohmann::json control_request(const std::string& socket_path, const nlohmann::json& request);

}  // namespace sim
