// The one secret masker. Everything that leaves the process (job results,
// exceptions and per-attempt errors, config history as the API and CLI show
// it, logs, events, CLI output) passes through safe_text() or safe_json().
// It lives in devices/, the lowest layer, so that every layer may use it.
//
// Linear in the text, whatever it holds (no backtracking regular expression:
// a 400,000-character line costs what it weighs). Line by line, each line is
// cut into tokens (a double-quoted string is one token) and matched against
// keyword rules (secret_rules.cpp: every secret syntax of frr, eos and junos
// found in their documentation and in what NAPALM and Oxidized filter, with
// the source of each). Beside them, whatever the platform:
//   - a JunOS line marked "## SECRET-DATA" has its value masked;
//   - a token shaped like a crypt hash or a JunOS "$9$" secret ("$1$...",
//     "$6$...", "$9$...") is masked;
//   - the password of a URL's user info (scp://user:PASS@host) is masked;
//   - the lines of a PEM "PRIVATE KEY" block are masked.
// All rules apply to every text: a log line or an exception does not know
// which platform it came from, and masking one word too many is harmless
// where missing one is not. A unified diff's leading +/- is understood.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::devices {

// What replaces a secret.
inline constexpr std::string_view kSecretMask = "****";

// One keyword rule. `pattern` is a sequence of space-separated elements:
//   word            that word (ASCII case-insensitive)
//   *               any one token
//   #               a token of digits
//   ...             up to 12 tokens of anything
//   SECRET          the token to mask (quotes and a trailing ';' are kept)
//   (a|b c)         one of the alternatives (each a sequence of elements)
//   [a|b c]         the same, optional
// The first element must be a word. At each token, the longest rule that
// matches there wins and scanning resumes after it.
struct SecretRule {
    std::string_view platform;  // "frr", "eos", "junos" or "any"
    std::string_view pattern;
    std::string_view source;  // where the syntax comes from
};

// The keyword rules, as listed in secret_rules.cpp.
std::span<const SecretRule> secret_rules();

// `text` with every secret it holds replaced by kSecretMask.
std::string mask_secrets(std::string_view text);

// What any text leaving the process goes through: valid UTF-8, then masked.
std::string safe_text(std::string_view text);

// A JSON document with every string (keys too) through safe_text(), and the
// string value of a member named like a secret ("password", "secret",
// "community", "key", "*_password", "*-secret", ...) masked whole.
nlohmann::json safe_json(const nlohmann::json& document);
// The same, in place: for documents too large to copy (a job's result).
// `depth`: how deep `document` sits in the document it is part of (a member
// written on its own, devices/safe_json_text.h), so that the nesting limit
// counts from the whole document's root.
void make_safe(nlohmann::json& document, int depth = 0);

}  // namespace switchyard::devices
