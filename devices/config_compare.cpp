#include "devices/config_compare.h"

#include "devices/frr_changeset.h"
#include "devices/normalize.h"

#include <sstream>

namespace switchyard::devices {

std::string comparable_config(Platform platform, std::string_view config) {
    std::istringstream in(normalize_config(config));
    std::string out;
    for (std::string line; std::getline(in, line);) {
        auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        std::string_view body(line.c_str() + first);
        bool comment = platform == Platform::junos ? body.rfind("#", 0) == 0 || body.rfind("version ", 0) == 0
                                                   : body.rfind("!", 0) == 0 || body.rfind("frr version", 0) == 0;
        if (comment) continue;
        if (platform == Platform::junos) {
            // JunOS annotates secrets: "encrypted-password ...; ## SECRET-DATA".
            auto note = line.find(" ## ");
            if (note != std::string::npos) line.resize(note);
        }
        out += line + "\n";
    }
    return out;
}

bool config_matches(Platform platform, std::string_view running, std::string_view intended) {
    if (platform == Platform::frr) return frr_changeset(running, intended).empty();
    return comparable_config(platform, running) == comparable_config(platform, intended);
}

}  // namespace switchyard::devices
