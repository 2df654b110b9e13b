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
    std::lock_guard lock(mutex_);
    {
        pqxx::work tx(conn_);
        sql::host_keys::remember(
            tx, {.hostname = hostname, .key_type = key.type, .public_key = key.base64, .fingerprint = key.fingerprint});
        tx.commit();
    }
    // Another process may have been first; what is stored now is the truth.
    auto stored = find_locked(hostname);
    return stored ? *stored : key;
}

void PgHostKeyStore::forget(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    pqxx::work tx(conn_);
    sql::host_keys::forget(tx, {.hostname = hostname});
    tx.commit();
}

}  // namespace switchyard::devices
