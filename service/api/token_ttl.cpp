#include "token_ttl.h"

#include <charconv>
#include <cstdint>
#include <stdexcept>

namespace switchyard::api {

std::chrono::seconds parse_token_ttl(const std::string& text) {
    const std::string usage =
        "invalid token lifetime '" + text + "': use a whole number and s, m, h or d (e.g. 8h, 30d)";
    if (text.size() < 2) throw std::invalid_argument(usage);
    std::int64_t unit = 0;
    switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: throw std::invalid_argument(usage);
    }
    // from_chars takes no sign, space or "0x", so anything but digits before
    // the unit is refused.
    std::int64_t n = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size() - 1;
    auto [end, ec] = std::from_chars(first, last, n);
    if (ec == std::errc::result_out_of_range)
        throw std::invalid_argument("token lifetime '" + text + "' is too long (at most 365d)");
    if (ec != std::errc() || end != last) throw std::invalid_argument(usage);
    if (n <= 0) throw std::invalid_argument("token lifetime '" + text + "' must be positive");
    // Compared before multiplying, so huge numbers cannot overflow.
    if (n > kMaxTokenTtl.count() / unit)
        throw std::invalid_argument("token lifetime '" + text + "' is too long (at most 365d)");
    return std::chrono::seconds(n * unit);
}

}  // namespace switchyard::api
