#include "devices/pg_host_key_store.h"

#include <pqxx/pqxx>

#include "devices/sql.h"

namespace switchyard::devices {

std::optional<HostKey> PgHostKeyStore::find_locked(const std::string& hostname) {
    pqxx::read_transaction tx(conn_);
    auto r = tx.exec_params(std::string(sql("host_keys/find.sql")), hostname);
    if (r.empty()) return std::nullopt;
    return HostKey{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>()};
}

std::optional<HostKey> PgHostKeyStore::find(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    return find_locked(hostname);
}

HostKey PgHostKeyStore::remember(const std::string& hostname, const HostKey& key) {
    std::lock_guard lock(mutex_);
    {
        pqxx::work tx(conn_);
        tx.exec_params(std::string(sql("host_keys/remember.sql")), hostname, key.type, key.base64, key.fingerprint);
        tx.commit();
    }
    // Another process may have been first; what is stored now is the truth.
    auto stored = find_locked(hostname);
    return stored ? *stored : key;
}

void PgHostKeyStore::forget(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    pqxx::work tx(conn_);
    tx.exec_params(std::string(sql("host_keys/forget.sql")), hostname);
    tx.commit();
}

}  // namespace switchyard::devices
