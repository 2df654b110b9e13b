// accept-new host keys in PostgreSQL (table device_host_keys). The store owns
// a mutex because sessions of the fan-out pool share one connection through it.
#pragma once

#include <pqxx/connection>

#include <mutex>

#include "devices/host_key_store.h"

namespace switchyard::devices {

class PgHostKeyStore : public HostKeyStore {
public:
    explicit PgHostKeyStore(pqxx::connection& conn) : conn_(conn) {}
    std::optional<HostKey> find(const std::string& hostname) override;
    HostKey remember(const std::string& hostname, const HostKey& key) override;
    void forget(const std::string& hostname) override;

private:
    std::optional<HostKey> find_locked(const std::string& hostname);
    std::mutex mutex_;
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
