#include "devices/pg_host_key_store.h"

#include <pqxx/pqxx>

#include "devices/queries.h"

namespace switchyard::devices {

std::optional<HostKey> PgHostKeyStore::find_locked(const std::string& hostname) {
    pqxx::read_transaction tx(conn_);
    auto r = sql::host_keys::find(tx, {.hostname = hostname});
    if (!r) return std::nullopt;
    return HostKey{r->key_type, r->public_key, r->fingerprint};
}

std::optional<HostKey> PgHostKeyStore::find(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    return find_locked(hostname);
}

HostKey PgHostKeyStore::remember(const std::string& hostname, const HostKey& key) {
    std::unique_lock lock(mutex_);
    bool stored_now = false;
    {
        pqxx::work tx(conn_);
        stored_now = sql::host_keys::remember(tx, {.hostname = hostname,
                                                   .key_type = key.type,
                                                   .public_key = key.base64,
                                                   .fingerprint = key.fingerprint}) > 0;
        tx.commit();
    }
    // Another process may have been first; what is stored now is the truth.
    auto stored = find_locked(hostname);
    lock.unlock();
    if (stored_now && on_trusted_) on_trusted_(hostname, key);
    return stored ? *stored : key;
}

bool PgHostKeyStore::forget(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    pqxx::work tx(conn_);
    bool found = sql::host_keys::forget(tx, {.hostname = hostname}) > 0;
    tx.commit();
    return found;
}

std::vector<KnownHostKey> PgHostKeyStore::list() {
    std::lock_guard lock(mutex_);
    pqxx::read_transaction tx(conn_);
    std::vector<KnownHostKey> out;
    for (auto& row : sql::host_keys::list(tx))
        out.push_back({row.hostname, {row.key_type, row.public_key, row.fingerprint}, row.first_seen});
    return out;
}

}  // namespace switchyard::devices
