// Reads the running config of many devices at once: the fan-out pool, one
// DeviceConnection per device, normalisation and confhash. Backs
// `switchyard devices fetch` and the benchmark.
#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "devices/device_fanout.h"
#include "devices/inventory.h"
#include "devices/ssh_session.h"

namespace switchyard::devices {

struct FetchResult {
    std::string hostname;
    bool ok = false;
    std::string error;
    std::string config;    // normalised running config
    std::string confhash;  // config_hash(config)
    int attempts = 0;
    std::chrono::milliseconds duration{0};
};

// One result per device, in input order. on_done (optional) is called from
// the calling thread as each device finishes.
std::vector<FetchResult> fetch_running_configs(const std::vector<Device>& devices, const Credentials& credentials,
                                               const SshOptions& ssh, const FanoutOptions& fanout = {},
                                               const std::function<void(const FetchResult&)>& on_done = {},
                                               std::stop_token cancel = {});

}  // namespace switchyard::devices
