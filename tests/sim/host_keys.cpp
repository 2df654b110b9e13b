#include "host_keys.h"

#include <stdexcept>

namespace sim {

ssh_key load_or_create_host_key(const std::filesystem::path& path) {
    ssh_key key = nullptr;
    if (std::filesystem::exists(path)) {
        if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &key) == SSH_OK) return key;
        throw std::runtime_error("cannot read host key " + path.string());
    }
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK)
        throw std::runtime_error("cannot generate an ed25519 host key");
    if (ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, path.c_str()) != SSH_OK) {
        ssh_key_free(key);
        throw std::runtime_error("cannot write host key " + path.string());
    }
    return key;
}

std::string sha256_fingerprint(ssh_key key) {
    unsigned char* hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK) return {};
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    ssh_clean_pubkey_hash(&hash);
    std::string out = text ? text : "";
    ssh_string_free_char(text);
    return out;
}

std::string public_key_line(ssh_key key) {
    char* b64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK) return {};
    std::string out = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + b64;
    ssh_string_free_char(b64);
    return out;
}

}  // namespace sim
