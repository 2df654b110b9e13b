#include "host_key_access.h"

#include <spdlog/spdlog.h>

namespace switchyard {

std::unique_ptr<devices::PgHostKeyStore> open_host_key_store(pqxx::connection& conn) {
    return std::make_unique<devices::PgHostKeyStore>(
        conn, [](const std::string& hostname, const devices::HostKey& key) {
            spdlog::warn(
                "trusting the SSH host key of {} on first use: {} {} (ssh.host_key_policy accept-new; "
                "`switchyard devices host-keys forget {}` if it is not the device's)",
                hostname, key.type, key.fingerprint, hostname);
        });
}

void warn_if_host_keys_unchecked(const Settings& settings, const std::string& who) {
    if (settings.ssh.host_key_policy != HostKeyPolicy::off) return;
    spdlog::warn(
        "!!! {}: ssh.host_key_policy is off: device host keys are NOT checked. Anyone who can intercept "
        "the management network can pose as a device and receive its login; use accept-new or strict",
        who);
}

}  // namespace switchyard
