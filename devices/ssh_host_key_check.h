// Applies the host key policy to a libssh session that finished its key
// exchange (ssh_connect) and has not authenticated yet: no credential leaves
// before the server proved who it is.
#pragma once

#include <libssh/libssh.h>

#include <string>

#include "devices/host_key_store.h"
#include "devices/ssh_session.h"

namespace switchyard::devices {

// The server's key as type, base64 blob and "SHA256:..." fingerprint.
HostKey describe_key(ssh_key key);

// Throws HostKeyError (unknown or changed key) or DeviceError.
void check_host_key(ssh_session session, const Endpoint& endpoint, const SshOptions& options);

}  // namespace switchyard::devices
