// One accepted SSH connection to one simulated device: key exchange,
// password/public-key authentication, session channels with PTY, shell and
// exec requests, served on the calling thread until the peer goes away.
#pragma once

#include <libssh/libssh.h>

#include <atomic>
#include <vector>

#include "device.h"
#include "personality.h"

namespace sim {

struct ConnectionContext {
    const SimClock* clock = nullptr;
    const std::vector<ssh_key>* authorized_keys = nullptr;  // public keys allowed for every device user
    const std::atomic<bool>* stopping = nullptr;
    int auth_timeout_seconds = 60;
};

// session comes from ssh_bind_accept_fd; this call owns and frees it.
void serve_connection(Device& dev, ssh_session session, const ConnectionContext& ctx);

}  // namespace sim
