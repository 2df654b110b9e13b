// Host key policies (../shared/DESIGN.md, "Devices and SSH"): `strict` checks OpenSSH's
// known_hosts, `accept-new` remembers the first key a device shows and
// refuses any other later, `off` checks nothing and must be asked for.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "devices/host_key_store.h"

namespace switchyard::devices {

enum class HostKeyPolicy { strict, accept_new, off };

std::string_view to_string(HostKeyPolicy p);
// "strict", "accept-new" (or "accept_new"), "off".
std::optional<HostKeyPolicy> host_key_policy_from_string(std::string_view s);

// The error text for a key that is not the expected one; it names the device
// and both fingerprints so an operator can check which one is right.
std::string changed_host_key_message(const std::string& device, const std::string& expected_fingerprint,
                                     const std::string& presented_fingerprint);

// accept-new: remembers `presented` on first sight; throws HostKeyError when
// a different key was remembered before.
void check_accept_new(HostKeyStore& store, const std::string& device, const HostKey& presented);

}  // namespace switchyard::devices
