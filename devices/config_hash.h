// A config's identity: the SHA-256 of its normalised text, so that equal
// configs (as normalize_config() sees them) have equal hashes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::devices {

// Held as its 32 bytes: a sync holds two per device of its fleet (the read's
// and the running config's) for the whole job, and a 64-character string
// is 32 bytes plus 80 on the heap (issue 16). Text (hex) where it meets SQL
// or JSON.
class ConfigHash {
public:
    // None: not computed (a device that was not read).
    ConfigHash() = default;
    // Of `config`, normalised first. Throws std::runtime_error if OpenSSL fails.
    static ConfigHash of(std::string_view config);

    bool empty() const { return !set_; }
    // Lowercase hex, 64 characters; "" when empty.
    std::string hex() const;
    bool operator==(const ConfigHash&) const = default;

private:
    std::array<std::uint8_t, 32> bytes_{};
    bool set_ = false;
};

// ConfigHash::of(config).hex(): what devices.confhash and config history store.
std::string config_hash(std::string_view config);

}  // namespace switchyard::devices
