// accept-new host keys in PostgreSQL (table device_host_keys). The store owns
// a mutex because sessions of the fan-out pool share one connection through it.
// Remembering a key publishes it (NOTIFY switchyard_host_key_events, by a
// trigger), so /events shows every key trusted on first use.
#pragma once

#include <pqxx/connection>

#include <functional>
#include <mutex>
#include <vector>

#include "devices/host_key_store.h"

namespace switchyard::devices {

// A remembered key, for operators.
struct KnownHostKey {
    std::string hostname;
    HostKey key;
    std::string first_seen;  // ISO 8601, UTC
};

class PgHostKeyStore : public HostKeyStore {
public:
    // Called after this store remembered a device's first key (trust on
    // first use), e.g. to log it.
    using TrustedCallback = std::function<void(const std::string& hostname, const HostKey& key)>;

    explicit PgHostKeyStore(pqxx::connection& conn, TrustedCallback on_trusted = {})
        : conn_(conn), on_trusted_(std::move(on_trusted)) {}
    std::optional<HostKey> find(const std::string& hostname) override;
    HostKey remember(const std::string& hostname, const HostKey& key) override;
    bool forget(const std::string& hostname) override;
    // Every remembered key, by hostname.
    std::vector<KnownHostKey> list();

private:
    std::optional<HostKey> find_locked(const std::string& hostname);
    std::mutex mutex_;
    pqxx::connection& conn_;
    TrustedCallback on_trusted_;
};

}  // namespace switchyard::devices
