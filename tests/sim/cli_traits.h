// How one simulated device's CLI differs from the plain default: OS version,
// an enable password, a redundant control plane, a restricted login class,
// slow commits (docs/device-cli.md says which real behaviour each models).
// Set per device in the config file (key `cli`) or at run time through the
// control socket (`{"op":"cli","host":H,"cli":{...}}`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sim {

struct CliTraits {
    std::string os_version;       // "" = the platform's default (eos 4.30.1F, junos 20.4R3.8)
    std::string enable_password;  // eos: the login is below privilege 15 and `enable` asks for this
    bool redundant = false;       // eos: `HOST(s1)#` prompts; junos: `{master:0}` before prompts
    bool no_configure = false;    // junos: a login class without the configure permission
    bool no_secret = false;       // junos: a login class without the secret permission
    int commit_delay_ms = 0;      // junos: a commit takes this long
};

// Accepts {"os_version", "enable_password", "redundant", "no_configure",
// "no_secret", "commit_delay_ms"}; throws std::invalid_argument on an unknown key.
CliTraits parse_cli_traits(const nlohmann::json& spec);
nlohmann::json cli_traits_to_json(const CliTraits& t);

// True when an EOS version string ("4.32.1F") is 4.32 or later, where
// `show configuration sessions detail | json` changed shape (napalm#2166).
bool eos_version_at_least_4_32(const std::string& version);

}  // namespace sim
