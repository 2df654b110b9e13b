#include "traffic.h"

#include <array>

namespace sim {

namespace {
std::array<TrafficCounters, 3> counters;
}

TrafficCounters& traffic(Platform p) { return counters[static_cast<std::size_t>(p)]; }

bool is_config_read(std::string_view command) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
        return s;
    };
    command = trim(command);
    if (command.rfind("cli -c ", 0) == 0) command = trim(command.substr(7));
    return command == "show running-config" || command == "show configuration";
}

nlohmann::json traffic_json() {
    nlohmann::json out = nlohmann::json::object();
    for (Platform p : {Platform::frr, Platform::eos, Platform::junos}) {
        const auto& c = traffic(p);
        out[platform_name(p)] = {{"sessions", c.sessions.load()},
                                 {"exec_channels", c.exec_channels.load()},
                                 {"shell_channels", c.shell_channels.load()},
                                 {"shell_lines", c.shell_lines.load()},
                                 {"round_trips", c.round_trips.load()},
                                 {"config_reads", c.config_reads.load()},
                                 {"bytes_out", c.bytes_out.load()}};
    }
    return out;
}

}  // namespace sim
