#include "devices/host_key_store.h"

namespace switchyard::devices {

std::optional<HostKey> MemoryHostKeyStore::find(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(hostname);
    if (it == keys_.end()) return std::nullopt;
    return it->second;
}

HostKey MemoryHostKeyStore::remember(const std::string& hostname, const HostKey& key) {
    std::lock_guard lock(mutex_);
    return keys_.try_emplace(hostname, key).first->second;
}

bool MemoryHostKeyStore::forget(const std::string& hostname) {
    std::lock_guard lock(mutex_);
    return keys_.erase(hostname) > 0;
}

}  // namespace switchyard::devices
