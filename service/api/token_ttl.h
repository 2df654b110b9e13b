// Token lifetimes as people write them: "90s", "15m", "8h", "30d".
#pragma once

#include <chrono>
#include <string>

namespace switchyard::api {

// The longest lifetime a token may be given: long-lived bearer tokens are
// what leaks, and a year is already generous for automation.
inline constexpr std::chrono::seconds kMaxTokenTtl = std::chrono::hours(24 * 365);

// "<N>s|m|h|d", N a positive whole number, at most kMaxTokenTtl. Throws
// std::invalid_argument with a message that says what is accepted.
std::chrono::seconds parse_token_ttl(const std::string& text);

}  // namespace switchyard::api
