#include "faults.h"

#include <algorithm>
#include <stdexcept>

#include "config_tree.h"

namespace sim {

namespace {

// Defaults of the hostile-output faults: issue 9's 400,000-character line,
// and lines of a plausible width.
constexpr int kHugeLine = 400000;
constexpr int kEndlessLine = 100;

int size_argument(const nlohmann::json& value, int fallback) {
    if (value.is_number_integer()) return std::max(1, value.get<int>());
    if (value.is_boolean()) return value.get<bool>() ? fallback : 0;
    throw std::invalid_argument("expected a size or a boolean, got " + value.dump());
}

void set_flag(Faults& f, std::string_view name, bool on) {
    if (name == "refuse_connection" || name == "refuse") f.refuse_connection = on;
    else if (name == "hang") f.hang = on;
    else if (name == "hang_commands") f.hang_commands = on;
    else if (name == "drop_mid_commit") f.drop_mid_commit = on;
    else if (name == "wrong_password") f.wrong_password = on;
    else if (name == "changed_host_key") f.changed_host_key = on;
    else if (name == "lockout_on_change") f.lockout_on_change = on;
    else if (name == "latin1_output") f.latin1_output = on;
    else if (name == "huge_line") f.huge_line = on ? kHugeLine : 0;
    else if (name == "endless_output") f.endless_output = on ? kEndlessLine : 0;
    else if (name == "slow_output") {
        // Defaults chosen so a 1 KiB config takes about a second.
        f.slow_output_bytes = on ? 16 : 0;
        f.slow_output_interval_ms = on ? 15 : 0;
    } else {
        throw std::invalid_argument("unknown fault: " + std::string(name));
    }
}

}  // namespace

bool Faults::is_command_error(std::string_view command) const {
    const std::string c = trim(command);
    return std::find(command_error.begin(), command_error.end(), c) != command_error.end();
}

Faults parse_faults(const nlohmann::json& spec) {
    Faults f;
    if (spec.is_null()) return f;
    if (spec.is_array()) {
        for (const auto& item : spec) apply_fault_word(f, item.get<std::string>());
        return f;
    }
    if (!spec.is_object()) throw std::invalid_argument("faults must be a list or an object");
    for (const auto& [name, value] : spec.items()) {
        if (name == "command_error") {
            if (value.is_string()) f.command_error.push_back(trim(value.get<std::string>()));
            else
                for (const auto& c : value) f.command_error.push_back(trim(c.get<std::string>()));
        } else if (name == "huge_line") {
            f.huge_line = size_argument(value, kHugeLine);
        } else if (name == "endless_output") {
            f.endless_output = size_argument(value, kEndlessLine);
        } else if (name == "slow_output" && value.is_object()) {
            f.slow_output_bytes = value.value("bytes", 16);
            f.slow_output_interval_ms = value.value("interval_ms", 15);
        } else {
            set_flag(f, name, value.is_boolean() ? value.get<bool>() : true);
        }
    }
    return f;
}

nlohmann::json faults_to_json(const Faults& f) {
    nlohmann::json j = nlohmann::json::object();
    if (f.refuse_connection) j["refuse_connection"] = true;
    if (f.hang) j["hang"] = true;
    if (f.hang_commands) j["hang_commands"] = true;
    if (f.drop_mid_commit) j["drop_mid_commit"] = true;
    if (f.wrong_password) j["wrong_password"] = true;
    if (f.changed_host_key) j["changed_host_key"] = true;
    if (f.lockout_on_change) j["lockout_on_change"] = true;
    if (f.latin1_output) j["latin1_output"] = true;
    if (f.huge_line > 0) j["huge_line"] = f.huge_line;
    if (f.endless_output > 0) j["endless_output"] = f.endless_output;
    if (!f.command_error.empty()) j["command_error"] = f.command_error;
    if (f.slow_output_bytes > 0)
        j["slow_output"] = {{"bytes", f.slow_output_bytes}, {"interval_ms", f.slow_output_interval_ms}};
    return j;
}

void apply_fault_word(Faults& f, std::string_view word) {
    auto eq = word.find('=');
    std::string_view name = word.substr(0, eq);
    if (eq == std::string_view::npos) {
        set_flag(f, name, true);
        return;
    }
    std::string arg(word.substr(eq + 1));
    if (name == "command_error") {
        f.command_error.push_back(trim(arg));
    } else if (name == "huge_line") {
        f.huge_line = std::max(1, std::stoi(arg));
    } else if (name == "endless_output") {
        f.endless_output = std::max(1, std::stoi(arg));
    } else if (name == "slow_output") {
        // slow_output=BYTES/INTERVAL_MS
        auto slash = arg.find('/');
        f.slow_output_bytes = std::stoi(arg.substr(0, slash));
        f.slow_output_interval_ms = slash == std::string::npos ? 15 : std::stoi(arg.substr(slash + 1));
    } else {
        set_flag(f, name, arg != "false" && arg != "0");
    }
}

}  // namespace sim
