#include "devices/fetch.h"

#include "devices/config_diff.h"
#include "devices/device_connection.h"
#include "devices/normalize.h"

namespace switchyard::devices {

std::vector<FetchResult> fetch_running_configs(const std::vector<Device>& devices, const Credentials& credentials,
                                               const SshOptions& ssh, const FanoutOptions& fanout,
                                               const std::function<void(const FetchResult&)>& on_done,
                                               std::stop_token cancel) {
    // Written by each device's own thread only. A timed-out device's thread
    // may still be writing when its outcome arrives, so `configs[i]` is read
    // only for devices that finished ok (their write happened before).
    std::vector<std::string> configs(devices.size());
    std::vector<FetchResult> results(devices.size());
    DeviceFanout pool(fanout);
    pool.run(
        devices.size(),
        [&](std::size_t i, DeviceContext& ctx) {
            DeviceConnection conn(devices[i], credentials, ssh, ctx.stop);
            configs[i] = normalize_config(conn.driver().running_config());
        },
        [&](std::size_t i, const DeviceOutcome& o) {
            auto& r = results[i];
            r.hostname = devices[i].hostname;
            r.ok = o.ok;
            r.error = o.error;
            r.attempts = o.attempts;
            r.duration = o.duration;
            if (o.ok) {
                r.config = configs[i];
                r.confhash = config_hash(r.config);
            }
            if (on_done) on_done(r);
        },
        cancel);
    return results;
}

}  // namespace switchyard::devices
