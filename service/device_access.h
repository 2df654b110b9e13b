// How the service reaches devices: credentials and SSH options from the
// settings, in the devices library's terms.
#pragma once

#include "devices/device_fanout.h"
#include "devices/inventory.h"
#include "devices/ssh_session.h"
#include "settings.h"

namespace switchyard {

// The login for `device`: the first of its groups with credentials, else its
// platform's, else "default". Throws std::runtime_error naming the device
// when none is configured.
devices::Credentials credentials_for(const Settings& settings, const devices::Device& device);

// SSH options without a host-key store (the caller adds one for accept-new).
devices::SshOptions ssh_options(const Settings& settings);
devices::FanoutOptions fanout_options(const Settings& settings);

}  // namespace switchyard
