// Secrets in structured data: the settings a template sees (generate_config's
// available_variables) keep them as values under telling names (password,
// secret, community ...), where the line rules of secret_masker.h cannot see
// them. Values under such keys are masked whole; every other string still
// goes through safe_json(), so the one masker has the last word.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace switchyard::devices {

// True for a key that names a secret: it contains password, passwd, secret,
// passphrase, community, psk, token or private, or is "key" / ends in "_key"
// (ASCII case-insensitive).
bool is_secret_field(std::string_view key);

// `document` with the value of every secret field (a string, number, or a
// whole list or mapping) replaced by kSecretMask, then through safe_json().
nlohmann::json mask_secret_fields(const nlohmann::json& document);

}  // namespace switchyard::devices
