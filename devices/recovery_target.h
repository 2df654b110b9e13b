// What a recovery job brings a device that a job left mid-change to (setting
// sync.on_interrupted): back to the config it ran before the change
// (rollback, the default) or forward to the intended one (complete).
#pragma once

#include <optional>
#include <string_view>

namespace switchyard::devices {

enum class RecoveryTarget { rollback, complete };

inline std::string_view to_string(RecoveryTarget t) { return t == RecoveryTarget::rollback ? "rollback" : "complete"; }

inline std::optional<RecoveryTarget> recovery_target_from_string(std::string_view text) {
    if (text == "rollback") return RecoveryTarget::rollback;
    if (text == "complete") return RecoveryTarget::complete;
    return std::nullopt;
}

}  // namespace switchyard::devices
