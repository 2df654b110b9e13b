#include "devices/secret_fields.h"

#include "devices/secret_masker.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace switchyard::devices {
namespace {

constexpr std::array<std::string_view, 8> kSecretWords{"password",  "passwd", "secret", "passphrase",
                                                       "community", "psk",    "token",  "private"};

nlohmann::json mask_fields(const nlohmann::json& doc) {
    if (doc.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, value] : doc.items())
            out[key] = is_secret_field(key) && !value.is_null() ? nlohmann::json(std::string(kSecretMask))
                                                                : mask_fields(value);
        return out;
    }
    if (doc.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (auto& item : doc) out.push_back(mask_fields(item));
        return out;
    }
    return doc;
}

}  // namespace

bool is_secret_field(std::string_view key) {
    std::string lower(key);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (auto word : kSecretWords)
        if (lower.find(word) != std::string::npos) return true;
    return lower == "key" || (lower.size() > 4 && lower.ends_with("_key"));
}

nlohmann::json mask_secret_fields(const nlohmann::json& document) { return safe_json(mask_fields(document)); }

}  // namespace switchyard::devices
