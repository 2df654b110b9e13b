// Everything needed to talk to one device, wired together: the SSH session,
// the CLI over it (prompt pattern of the platform) and the platform driver.
// This is what tasks hold per device inside a fan-out.
#pragma once

#include <memory>
#include <stop_token>

#include "devices/driver.h"
#include "devices/inventory.h"
#include "devices/ssh_cli.h"
#include "devices/ssh_session.h"

namespace switchyard::devices {

class DeviceConnection {
public:
    // Connects (TCP, host key, auth) at once; throws like SshSession::connect.
    DeviceConnection(const Device& device, const Credentials& credentials, const SshOptions& options,
                     std::stop_token stop = {});

    Driver& driver() { return *driver_; }
    SshSession& session() { return session_; }
    DeviceCli& cli() { return cli_; }

private:
    SshSession session_;
    SshCli cli_;
    std::unique_ptr<Driver> driver_;
};

}  // namespace switchyard::devices
