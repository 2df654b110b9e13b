#include "devices/host_key_policy.h"

#include "devices/errors.h"

namespace switchyard::devices {

std::string_view to_string(HostKeyPolicy p) {
    switch (p) {
        case HostKeyPolicy::strict: return "strict";
        case HostKeyPolicy::accept_new: return "accept-new";
        case HostKeyPolicy::off: return "off";
    }
    return "?";
}

std::optional<HostKeyPolicy> host_key_policy_from_string(std::string_view s) {
    if (s == "strict") return HostKeyPolicy::strict;
    if (s == "accept-new" || s == "accept_new") return HostKeyPolicy::accept_new;
    if (s == "off") return HostKeyPolicy::off;
    return std::nullopt;
}

std::string changed_host_key_message(const std::string& device, const std::string& expected_fingerprint,
                                     const std::string& presented_fingerprint) {
    return "host key of " + device + " has changed: expected " + expected_fingerprint + ", device presented " +
           presented_fingerprint + " (possible man-in-the-middle; if the device was re-keyed, remove its old key)";
}

void check_accept_new(HostKeyStore& store, const std::string& device, const HostKey& presented) {
    // remember() keeps an earlier key if there is one, so first sight wins
    // even when two workers meet a new device at the same moment.
    auto known = store.find(device);
    HostKey stored = known ? *known : store.remember(device, presented);
    if (stored.type != presented.type || stored.base64 != presented.base64)
        throw HostKeyError(changed_host_key_message(device, stored.fingerprint, presented.fingerprint));
}

}  // namespace switchyard::devices
