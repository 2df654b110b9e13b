#include "devices/device_connection.h"

namespace switchyard::devices {

DeviceConnection::DeviceConnection(const Device& device, const Credentials& credentials, const SshOptions& options,
                                   std::stop_token stop)
    : session_(Endpoint{device.hostname, device.management_ip, device.port}, credentials, options, std::move(stop)),
      cli_(session_, prompt_pattern(device.platform)) {
    session_.connect();
    driver_ = make_driver(device.platform, cli_, DriverOptions{credentials.enable_secret, options.commit_timeout});
}

}  // namespace switchyard::devices
