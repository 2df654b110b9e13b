#include "cli_traits.h"

#include <cstdio>
#include <stdexcept>

namespace sim {

CliTraits parse_cli_traits(const nlohmann::json& spec) {
    CliTraits t;
    if (spec.is_null()) return t;
    if (!spec.is_object()) throw std::invalid_argument("cli must be an object");
    for (const auto& [key, value] : spec.items()) {
        if (key == "os_version") t.os_version = value.get<std::string>();
        else if (key == "enable_password") t.enable_password = value.get<std::string>();
        else if (key == "redundant") t.redundant = value.get<bool>();
        else if (key == "no_configure") t.no_configure = value.get<bool>();
        else if (key == "no_secret") t.no_secret = value.get<bool>();
        else if (key == "commit_delay_ms") t.commit_delay_ms = value.get<int>();
        else throw std::invalid_argument("unknown cli trait: " + key);
    }
    return t;
}

nlohmann::json cli_traits_to_json(const CliTraits& t) {
    return {{"os_version", t.os_version}, {"enable_password", t.enable_password.empty() ? "" : "(set)"},
            {"redundant", t.redundant},   {"no_configure", t.no_configure},
            {"no_secret", t.no_secret},   {"commit_delay_ms", t.commit_delay_ms}};
}

bool eos_version_at_least_4_32(const std::string& version) {
    int major = 0, minor = 0;
    if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return false;
    return major > 4 || (major == 4 && minor >= 32);
}

}  // namespace sim
