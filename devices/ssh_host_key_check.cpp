#include "devices/ssh_host_key_check.h"

#include <cstdlib>
#include <fstream>
#include <memory>

#include "devices/errors.h"

namespace switchyard::devices {
namespace {

struct KeyFree {
    void operator()(ssh_key k) const { ssh_key_free(k); }
};
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;

std::string fingerprint(ssh_key key) {
    unsigned char* hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK) return "SHA256:?";
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    ssh_clean_pubkey_hash(&hash);
    std::string out = text ? text : "SHA256:?";
    ssh_string_free_char(text);
    return out;
}

// known_hosts names a host on port 22 by address alone, otherwise "[addr]:port".
std::string known_hosts_name(const Endpoint& e) {
    return e.port == 22 ? e.address : "[" + e.address + "]:" + std::to_string(e.port);
}

// libssh does not hand back the stored entry when the key changed, so the
// old fingerprint for the error message is looked up in the file itself.
std::string stored_fingerprint(const std::string& file, const Endpoint& e, ssh_key presented) {
    std::ifstream in(file);
    std::string line;
    std::string host = known_hosts_name(e);
    std::string any;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        ssh_knownhosts_entry* entry = nullptr;
        if (ssh_known_hosts_parse_line(host.c_str(), line.c_str(), &entry) == SSH_OK && entry) {
            std::string fp = fingerprint(entry->publickey);
            bool same_type = ssh_key_type(entry->publickey) == ssh_key_type(presented);
            ssh_knownhosts_entry_free(entry);
            if (same_type) return fp;
            if (any.empty()) any = fp;
        } else if (entry) {
            ssh_knownhosts_entry_free(entry);
        }
    }
    return any.empty() ? "(unreadable entry)" : any;
}

std::string known_hosts_path(const SshOptions& options) {
    if (!options.known_hosts_file.empty()) return options.known_hosts_file;
    const char* home = std::getenv("HOME");
    return std::string(home ? home : "") + "/.ssh/known_hosts";
}

}  // namespace

HostKey describe_key(ssh_key key) {
    HostKey out;
    out.type = ssh_key_type_to_char(ssh_key_type(key));
    char* b64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK && b64) {
        out.base64 = b64;
        ssh_string_free_char(b64);
    }
    out.fingerprint = fingerprint(key);
    return out;
}

void check_host_key(ssh_session session, const Endpoint& endpoint, const SshOptions& options) {
    if (options.host_key_policy == HostKeyPolicy::off) return;
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session, &raw) != SSH_OK || !raw)
        throw HostKeyError("device " + endpoint.hostname + ": the server sent no host key");
    KeyPtr key(raw);
    HostKey presented = describe_key(key.get());

    if (options.host_key_policy == HostKeyPolicy::accept_new) {
        if (!options.host_key_store) throw std::logic_error("host key policy accept-new needs a HostKeyStore");
        check_accept_new(*options.host_key_store, endpoint.hostname, presented);
        return;
    }
    std::string file = known_hosts_path(options);
    switch (ssh_session_is_known_server(session)) {
        case SSH_KNOWN_HOSTS_OK: return;
        case SSH_KNOWN_HOSTS_CHANGED:
        case SSH_KNOWN_HOSTS_OTHER:
            throw HostKeyError(changed_host_key_message(
                endpoint.hostname, stored_fingerprint(file, endpoint, key.get()), presented.fingerprint));
        case SSH_KNOWN_HOSTS_NOT_FOUND:
            throw HostKeyError("host key of " + endpoint.hostname + " (" + presented.fingerprint +
                               ") cannot be checked: known_hosts file " + file + " does not exist");
        case SSH_KNOWN_HOSTS_UNKNOWN:
            throw HostKeyError("host key of " + endpoint.hostname + " (" + presented.fingerprint + ") is not in " +
                               file + " as " + known_hosts_name(endpoint) + " (policy strict)");
        case SSH_KNOWN_HOSTS_ERROR: break;
    }
    throw HostKeyError("host key of " + endpoint.hostname + " could not be checked against " + file + ": " +
                       ssh_get_error(session));
}

}  // namespace switchyard::devices
