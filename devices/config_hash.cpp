#include "devices/config_hash.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "devices/normalize.h"

namespace switchyard::devices {

ConfigHash ConfigHash::of(std::string_view config) {
    const std::string normal = normalize_config(config);
    ConfigHash h;
    unsigned int len = 0;
    if (EVP_Digest(normal.data(), normal.size(), h.bytes_.data(), &len, EVP_sha256(), nullptr) != 1 ||
        len != h.bytes_.size())
        throw std::runtime_error("SHA-256 failed in OpenSSL");
    h.set_ = true;
    return h;
}

std::string ConfigHash::hex() const {
    if (!set_) return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes_.size() * 2);
    for (auto b : bytes_) {
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
    }
    return out;
}

std::string config_hash(std::string_view config) { return ConfigHash::of(config).hex(); }

}  // namespace switchyard::devices
