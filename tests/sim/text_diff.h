// Unified diff hunks (dtl) for EOS `show session-config diffs`.
#pragma once

#include <string>

namespace sim {

// "@@ -a,b +c,d @@" hunks with ' ', '-', '+' lines; "" when equal.
std::string unified_hunks(const std::string& before, const std::string& after);

}  // namespace sim
