// Host keys as the service handles them: every key trusted on first use is
// logged (and published, by the store's trigger), and checking no keys at
// all is said loudly.
#pragma once

#include "devices/pg_host_key_store.h"
#include "settings.h"

#include <memory>

namespace switchyard {

// The accept-new store on `conn`, logging each key it trusts on first use.
std::unique_ptr<devices::PgHostKeyStore> open_host_key_store(pqxx::connection& conn);

// Logs a warning when ssh.host_key_policy is off (`who` starts, e.g. "serve").
void warn_if_host_keys_unchecked(const Settings& settings, const std::string& who);

}  // namespace switchyard
