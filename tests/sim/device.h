// One simulated device: its identity, its running configuration and commit
// history, a pending commit-confirm rollback, faults and host keys.
// Connection threads, the rollback timer and the control socket share it, so
// every mutable field is guarded by mu.
#pragma once

#include <libssh/libssh.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "cli_traits.h"
#include "config_tree.h"
#include "faults.h"

namespace sim {

enum class Platform { frr, eos, junos };
Platform parse_platform(const std::string& name);  // throws std::invalid_argument
const char* platform_name(Platform p);

struct DeviceSpec {
    std::string hostname;
    int port = 0;
    Platform platform = Platform::frr;
    std::string device_type = "UNKNOWN";
    std::string username = "admin";
    std::string password = "admin";
    std::string initial_config;  // empty: generated (sized_configs.h when config_lines > 0, else default_configs.h)
    int config_lines = 0;        // size of the generated config; 0: the small default
    int latency_ms = 0;
    Faults faults;
    CliTraits cli;
};

// A commit that rolls itself back unless confirmed (eos commit timer, junos
// commit confirmed).
struct PendingRollback {
    std::chrono::steady_clock::time_point deadline;
    std::string previous;  // running config to restore
    std::string session;   // eos session name; empty for junos
};

// An EOS configuration session that is open or pending (typed, not
// committed). Sessions belong to the device, not to the SSH channel that
// opened them: they outlive it, for 24 hours (napalm#1921), and at most five
// may be pending at once (maxOpenSessions, napalm#2166).
struct EosSession {
    CfgTree candidate;
    std::chrono::steady_clock::time_point created;
    std::string user;
};

class Device {
public:
    // Loads state from state_root/HOSTNAME when present (config, keys), else
    // starts from canonical_initial and writes it there.
    Device(DeviceSpec spec, const std::filesystem::path& state_root, const std::string& canonical_initial);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    const std::string& hostname() const { return spec_.hostname; }
    Platform platform() const { return spec_.platform; }
    int port() const { return spec_.port; }
    const DeviceSpec& spec() const { return spec_; }
    const std::string& fingerprint() const { return fingerprint_; }
    const std::string& public_key() const { return public_key_; }
    // The key the SSH layer must serve right now (honours changed_host_key).
    ssh_key serving_key();

    Faults faults() const;
    void set_faults(Faults f);
    // Under the lockout_on_change fault: the running config moved away from
    // the one the fault was set on.
    bool locked_out() const;
    int latency_ms() const;
    CliTraits cli_traits() const;
    void set_cli_traits(CliTraits t);

    // Everything below requires mu to be held by the caller.
    mutable std::mutex mu;
    std::string running;      // canonical text of the running config
    std::string last_commit;  // "YYYY-MM-DD HH:MM:SS UTC"
    std::string last_commit_user;
    std::deque<std::string> history;  // earlier running configs, newest first
    std::optional<PendingRollback> pending;
    std::string exclusive_holder;  // junos configure exclusive owner, empty if none
    // junos: the shared candidate of plain `configure` / `configure exclusive`
    // while it holds uncommitted changes (they outlive the session that made them).
    std::optional<std::string> junos_shared;
    std::map<std::string, EosSession> eos_sessions;  // eos: pending configuration sessions
    void commit_locked(std::string next, const std::string& user);
    void persist_locked() const;

    int listen_fd = -1;  // owned by the server

private:
    DeviceSpec spec_;
    std::string lockout_baseline_;  // running config when lockout_on_change was set; empty without that fault
    std::filesystem::path dir_;
    ssh_key key_ = nullptr;
    ssh_key changed_key_ = nullptr;
    std::string fingerprint_;
    std::string public_key_;
};

}  // namespace sim
