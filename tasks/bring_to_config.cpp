#include "bring_to_config.h"

#include "devices/config_compare.h"

#include <stdexcept>

namespace switchyard::tasks {

BroughtTo bring_to_config(devices::Driver& driver, const std::string& target, const std::function<void()>& before_push,
                          std::string_view what) {
    const auto platform = driver.platform();
    BroughtTo out{driver.running_config()};
    if (devices::config_matches(platform, out.running, target)) return out;
    before_push();
    // The push starts from the read above, on this session, under the
    // device's lock: a second read would tell nothing the first did not.
    driver.load_candidate(target, out.running);
    driver.commit();
    out.running = driver.running_config();
    out.pushed = true;
    if (!devices::config_matches(platform, out.running, target))
        throw std::runtime_error(std::string(what) + " did not stick (" +
                                 devices::describe(devices::config_mismatch(platform, out.running, target)) + ")");
    return out;
}

}  // namespace switchyard::tasks
