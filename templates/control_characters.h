// Config injection: a value rendered into a device's config may not hold a
// control character. A newline in `description: "uplink\nip route 0.0.0.0/0
// Null0"` would add a line to the config; CR, NUL, Ctrl-D (which ends JunOS's
// `load ... terminal`), tab (completion), escape and the rest are no safer.
// Internal to the templates library.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/inventory.h"

namespace switchyard::templates::detail {

// The first control character in `text` (C0 including tab, DEL, C1 as
// UTF-8), or invalid UTF-8: its byte offset and a name for error messages
// ("line feed (U+000A)"). nullopt when the text is clean.
struct ControlCharacter {
    std::size_t offset = 0;
    std::string name;
};
std::optional<ControlCharacter> find_control_character(std::string_view text);

// A settings value holding one, and where it was set: rendering it is an
// error that names the setting and the file.
struct UnsafeSetting {
    std::string value;
    std::string setting;    // "interfaces[0].description"
    std::string file;       // the settings file, or "the inventory" for a device field
    int line = 0;           // in the file; 0 for a device field
    std::string character;  // what find_control_character() named
};

// layered_settings() (render.h), also listing every string value that holds
// a control character, in layer order (a later entry overrides an earlier).
nlohmann::json layered_settings_checked(const devices::Device& d, const std::string& settings_dir,
                                        std::vector<UnsafeSetting>& unsafe);

}  // namespace switchyard::templates::detail
