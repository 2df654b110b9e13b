#include "sim_config.h"

#include <yaml-cpp/yaml.h>

#include "files.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

namespace sim {

namespace {

// yaml-cpp gives untyped scalars; the config only needs bools, ints and strings.
nlohmann::json to_json(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: {
            nlohmann::json j = nlohmann::json::object();
            for (const auto& kv : n) j[kv.first.as<std::string>()] = to_json(kv.second);
            return j;
        }
        case YAML::NodeType::Sequence: {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& item : n) j.push_back(to_json(item));
            return j;
        }
        case YAML::NodeType::Scalar: {
            const std::string s = n.Scalar();
            if (n.Tag() == "!") return s;  // quoted: always a string
            if (s == "true" || s == "yes") return true;
            if (s == "false" || s == "no") return false;
            try {
                size_t used = 0;
                long long v = std::stoll(s, &used);
                if (used == s.size()) return v;
            } catch (const std::exception&) {
            }
            return s;
        }
        default: return nullptr;
    }
}

}  // namespace

void load_config_file(const std::filesystem::path& file, SimOptions& opts) {
    nlohmann::json cfg;
    try {
        cfg = to_json(YAML::LoadFile(file.string()));
    } catch (const YAML::Exception& e) {
        throw std::runtime_error(file.string() + ": " + e.what());
    }
    const auto base = file.parent_path();
    try {
        if (cfg.contains("state_dir")) opts.state_dir = cfg["state_dir"].get<std::string>();
        if (cfg.contains("listen_address")) opts.listen_address = cfg["listen_address"].get<std::string>();
        if (cfg.contains("authorized_keys")) opts.authorized_keys = base / cfg["authorized_keys"].get<std::string>();
        if (cfg.contains("confirm_minute_seconds"))
            opts.confirm_minute_seconds = cfg["confirm_minute_seconds"].get<double>();
        nlohmann::json defaults = cfg.value("defaults", nlohmann::json::object());
        for (const auto& item : cfg.value("devices", nlohmann::json::array())) {
            nlohmann::json d = defaults;
            d.update(item);
            DeviceSpec s;
            s.hostname = d.at("hostname").get<std::string>();
            s.port = d.at("port").get<int>();
            s.platform = parse_platform(d.value("platform", "frr"));
            s.device_type = d.value("device_type", "UNKNOWN");
            s.username = d.value("username", "admin");
            s.password = d.value("password", "admin");
            s.latency_ms = d.value("latency_ms", 0);
            s.config_lines = d.value("config_lines", 0);
            if (d.contains("config")) s.initial_config = d["config"].get<std::string>();
            if (d.contains("config_file")) {
                auto path = base / d["config_file"].get<std::string>();
                if (!std::filesystem::exists(path)) throw std::runtime_error("config_file not found: " + path.string());
                s.initial_config = read_text_file(path);
            }
            if (d.contains("faults")) s.faults = parse_faults(d["faults"]);
            if (d.contains("cli")) s.cli = parse_cli_traits(d["cli"]);
            opts.devices.push_back(std::move(s));
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(file.string() + ": " + e.what());
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(file.string() + ": " + e.what());
    }
}

void add_shortcut_devices(const Shortcut& s, SimOptions& opts) {
    for (int i = 0; i < s.count; ++i) {
        DeviceSpec d;
        char name[64];
        std::snprintf(name, sizeof name, "%s%04d", s.prefix.c_str(), i + 1);
        d.hostname = name;
        d.port = s.base_port + i;
        d.platform = s.platforms[static_cast<size_t>(i) % s.platforms.size()];
        d.latency_ms = s.latency_ms;
        d.config_lines = s.config_lines;
        d.username = s.username;
        d.password = s.password;
        opts.devices.push_back(std::move(d));
    }
}

void apply_fault_option(const std::string& option, SimOptions& opts) {
    auto colon = option.find(':');
    if (colon == std::string::npos) throw std::runtime_error("--fault wants HOST:NAME[=ARG], got " + option);
    std::string host = option.substr(0, colon);
    for (auto& d : opts.devices) {
        if (d.hostname != host) continue;
        apply_fault_word(d.faults, option.substr(colon + 1));
        return;
    }
    throw std::runtime_error("--fault: no device named " + host);
}

}  // namespace sim
