// One device brought to a whole config and verified: what a recovery, a
// rollback at a confirm deadline and the push back of a failed change all do
// once they know the config the device must run. Internal to tasks/.
#pragma once

#include "devices/driver.h"

#include <functional>
#include <string>
#include <string_view>

namespace switchyard::tasks {

struct BroughtTo {
    std::string running;  // the device's config as last read (after the push, if any)
    bool pushed = false;  // false: it already ran the target
};

// Reads the device once to know where it stands and, unless it already runs
// `target` (devices::config_matches), pushes `target` from that read
// (Driver::load_candidate(target, running): not read again), commits, and
// reads it again to verify. `before_push` runs right before the push (the
// job's fence). Throws std::runtime_error "<what> did not stick (...)" when
// the config read after the commit still differs from `target`.
BroughtTo bring_to_config(devices::Driver& driver, const std::string& target, const std::function<void()>& before_push,
                          std::string_view what);

}  // namespace switchyard::tasks
