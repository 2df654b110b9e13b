// How a live sync commits a device (CNaaS-NMS's commit confirm modes, its
// COMMIT_CONFIRMED_MODE; same numbers on the wire: the API's and job
// arguments' `confirm_mode`, the setting sync.default_confirm_mode).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard::devices {

enum class ConfirmMode {
    // 0: a plain commit.
    commit = 0,
    // 1: a commit with a rollback timer, confirmed once the device answers on
    // a new connection (a change that locked us out rolls back).
    confirm_on_reconnect = 1,
    // 2: every device commits with a timer; the confirm_devices job that
    // follows the sync confirms them all.
    confirm_by_next_job = 2,
};

inline int to_number(ConfirmMode m) { return static_cast<int>(m); }

inline std::string_view to_string(ConfirmMode m) {
    switch (m) {
        case ConfirmMode::commit: return "commit";
        case ConfirmMode::confirm_on_reconnect: return "confirm_on_reconnect";
        case ConfirmMode::confirm_by_next_job: return "confirm_by_next_job";
    }
    return "unknown";
}

inline std::optional<ConfirmMode> confirm_mode_from_number(std::int64_t n) {
    if (n < 0 || n > 2) return std::nullopt;
    return static_cast<ConfirmMode>(n);
}

// What the API, the CLI and job arguments tell a client about the numbers.
inline constexpr std::string_view kConfirmModeChoices =
    "0 (commit), 1 (commit with a timer, confirm once the device answers again) or 2 (commit with a timer on "
    "every device, then a confirm_devices job confirms them)";

}  // namespace switchyard::devices
