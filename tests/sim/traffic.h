// What the simulator's devices were asked, counted per platform: sessions,
// exec channels, shell lines, round trips, config reads and bytes sent. A
// benchmark reads them (the `stats` control op) before and after a job to
// say what one device costs per platform; nothing in the simulator depends
// on them.
#pragma once

#include <atomic>
#include <string_view>

#include <nlohmann/json.hpp>

#include "device.h"

namespace sim {

struct TrafficCounters {
    std::atomic<long> sessions{0};  // SSH sessions past the key exchange
    std::atomic<long> exec_channels{0};
    std::atomic<long> shell_channels{0};
    std::atomic<long> shell_lines{0};   // lines typed into a shell (and ^D inputs)
    std::atomic<long> round_trips{0};   // answers that waited out the device's latency
    std::atomic<long> config_reads{0};  // show running-config / show configuration, exec or shell
    std::atomic<long> bytes_out{0};     // what the device sent on its channels
};

TrafficCounters& traffic(Platform p);

// `show running-config` / `show configuration` (also through `cli -c "..."`),
// not `show configuration sessions ...` (eos) nor `show | compare`.
bool is_config_read(std::string_view command);

// {"frr": {"sessions": N, ...}, "eos": ..., "junos": ...}
nlohmann::json traffic_json();

}  // namespace sim
