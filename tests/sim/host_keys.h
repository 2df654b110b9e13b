// Host keys of a simulated device: ed25519, created on first start and kept in
// the device's state directory so a restart serves the same identity.
#pragma once

#include <libssh/libssh.h>

#include <filesystem>
#include <string>

namespace sim {

// Loads the private key at path, or generates and writes one when missing.
// Throws std::runtime_error when neither works. Caller owns the key.
ssh_key load_or_create_host_key(const std::filesystem::path& path);

// "SHA256:base64" exactly as OpenSSH's ssh-keygen -lf prints it.
std::string sha256_fingerprint(ssh_key key);

// "ssh-ed25519 AAAA..." (known_hosts / authorized_keys body).
std::string public_key_line(ssh_key key);

}  // namespace sim
