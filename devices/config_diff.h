// Unified diff of two configs (dtl, the Debian `libdtl-dev` header library);
// config_hash.h comes with it, as most callers of one want the other.
#pragma once

#include <string>
#include <string_view>

#include "devices/config_hash.h"

namespace switchyard::devices {

// A unified diff ("--- from", "+++ to", "@@ -a,b +c,d @@", three lines of
// context, dtl's fixed size) from `from` to `to`; empty when they are equal.
// A shortest edit script, dtl's own while few lines are on one side only;
// past 64 such lines they are left out of dtl's search (config_diff.cpp says
// why). Callers normalise first (normalize.h).
std::string unified_diff(std::string_view from, std::string_view to, std::string_view from_label = "running",
                         std::string_view to_label = "intended");

// Lines added and removed by a diff from unified_diff(), for change scores.
struct DiffStats {
    std::size_t added = 0;
    std::size_t removed = 0;
};
DiffStats diff_stats(std::string_view unified);

}  // namespace switchyard::devices
