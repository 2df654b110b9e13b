#include "device_access.h"

#include <stdexcept>

namespace switchyard {

devices::Credentials credentials_for(const Settings& settings, const devices::Device& device) {
    std::vector<std::string> candidates;
    for (auto& g : device.groups) candidates.push_back("group:" + g);
    candidates.emplace_back(devices::to_string(device.platform));
    candidates.emplace_back("default");
    for (auto& name : candidates) {
        auto it = settings.credentials.find(name);
        if (it == settings.credentials.end()) continue;
        const auto& c = it->second;
        return {c.username, c.password, c.key_file, c.key_passphrase, c.enable_secret};
    }
    throw std::runtime_error("no credentials for device " + device.hostname +
                             ": configure credentials.default, credentials." +
                             std::string(devices::to_string(device.platform)) + " or credentials.group:NAME");
}

devices::SshOptions ssh_options(const Settings& settings) {
    devices::SshOptions o;
    o.connect_timeout = settings.ssh.connect_timeout_seconds;
    o.command_timeout = settings.ssh.command_timeout_seconds;
    o.commit_timeout = settings.ssh.commit_timeout_seconds;
    o.keepalive_interval = settings.ssh.keepalive_seconds;
    o.max_output_bytes = static_cast<std::size_t>(settings.ssh.max_output_mib) << 20;
    o.host_key_policy = settings.ssh.host_key_policy;
    o.known_hosts_file = settings.ssh.known_hosts_file;
    return o;
}

devices::FanoutOptions fanout_options(const Settings& settings) {
    devices::FanoutOptions o;
    o.concurrency = static_cast<std::size_t>(settings.ssh.concurrency);
    o.deadline = settings.ssh.device_deadline_seconds;
    return o;
}

}  // namespace switchyard
