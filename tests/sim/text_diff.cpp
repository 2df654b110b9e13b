#include "text_diff.h"

#include <dtl/dtl.hpp>
#include <sstream>

#include "config_tree.h"

namespace sim {

std::string unified_hunks(const std::string& before, const std::string& after) {
    auto a = split_lines(before);
    auto b = split_lines(after);
    if (a == b) return {};
    dtl::Diff<std::string> diff(a, b);
    diff.compose();
    diff.composeUnifiedHunks();
    std::ostringstream out;
    diff.printUnifiedFormat(out);
    return out.str();
}

}  // namespace sim
