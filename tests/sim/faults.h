// Fault injection: what a simulated device does wrong, per device.
// Faults are set from the config file, the command line or the control socket
// and are read by the server (refuse, hang), the SSH layer (auth, host key) and
// the CLI layer (command errors, drops, slow output).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

struct Faults {
    bool refuse_connection = false;  // listening port closed
    bool hang = false;               // TCP accepted, SSH banner never sent
    bool hang_commands = false;      // session up, commands never answered
    bool drop_mid_commit = false;    // TCP torn down when a commit is issued
    bool wrong_password = false;     // every authentication attempt rejected
    bool changed_host_key = false;   // serve a host key other than the first run's
    // New connections are cut at once while the running config differs from
    // the one the device had when this fault was set: a change that locked the
    // management session out, until it is rolled back.
    bool lockout_on_change = false;
    std::vector<std::string> command_error;  // these commands print the platform error
    int slow_output_bytes = 0;               // >0: output trickles in chunks of this size
    int slow_output_interval_ms = 0;         // ... with this pause between chunks
    // Hostile output, sent by the transport whatever the command:
    bool latin1_output = false;  // text goes out in ISO-8859-1, not UTF-8 ("ü" is the byte 0xFC)
    int huge_line = 0;           // >0: every command's output ends with a line of this many characters
    int endless_output = 0;      // >0: after its output the device never stops sending lines of this length

    bool is_command_error(std::string_view command) const;
};

// Accepts either a list of fault names (["hang", "wrong_password"]) or an
// object ({"command_error": ["show version"], "slow_output": {"bytes": 8}}).
// Throws std::invalid_argument on an unknown fault name.
Faults parse_faults(const nlohmann::json& spec);
nlohmann::json faults_to_json(const Faults& f);

// "NAME" or "NAME=ARG" as given to --fault HOST:NAME[=ARG]; merges into f.
void apply_fault_word(Faults& f, std::string_view word);

}  // namespace sim
