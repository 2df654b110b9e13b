// Where the accept-new host key policy remembers the first key each device
// presented. The SSH session only sees this interface; the PostgreSQL
// implementation is pg_host_key_store.h, tests use MemoryHostKeyStore.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace switchyard::devices {

struct HostKey {
    std::string type;         // "ssh-ed25519", "ecdsa-sha2-nistp256", ...
    std::string base64;       // the public key blob as in known_hosts
    std::string fingerprint;  // "SHA256:..." as OpenSSH prints it

    bool operator==(const HostKey&) const = default;
};

class HostKeyStore {
public:
    virtual ~HostKeyStore() = default;
    virtual std::optional<HostKey> find(const std::string& hostname) = 0;
    // Stores `key` unless a key is already stored for `hostname`; returns the
    // key stored afterwards (the earlier one when somebody else was first).
    virtual HostKey remember(const std::string& hostname, const HostKey& key) = 0;
    // Drops the key of `hostname` (the device was re-keyed); false when none
    // was stored.
    virtual bool forget(const std::string& hostname) = 0;
};

// Thread-safe: the fan-out pool verifies many devices at once.
class MemoryHostKeyStore : public HostKeyStore {
public:
    std::optional<HostKey> find(const std::string& hostname) override;
    HostKey remember(const std::string& hostname, const HostKey& key) override;
    bool forget(const std::string& hostname) override;

private:
    std::mutex mutex_;
    std::map<std::string, HostKey> keys_;
};

}  // namespace switchyard::devices
