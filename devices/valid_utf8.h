// Device bytes are bytes: whatever a device (or anything outside the
// process) sends becomes valid UTF-8 here before it is stored, compared,
// logged or returned. Invalid sequences are replaced visibly, never a failure.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::devices {

// U+FFFD REPLACEMENT CHARACTER, as UTF-8.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// `text` with every invalid UTF-8 sequence (a Latin-1 byte, a truncated or
// overlong sequence, a surrogate) and every NUL byte (PostgreSQL text cannot
// hold one) replaced by U+FFFD. Linear; returns the text unchanged when it
// is already valid.
std::string valid_utf8(std::string_view text);

// True when valid_utf8(text) == text.
bool is_valid_utf8(std::string_view text);

}  // namespace switchyard::devices
