// One SSH connection to one device (libssh): our own TCP connect with a
// timeout, host key check per policy, password / public-key /
// keyboard-interactive auth, exec channels with a per-command timeout and
// keepalives. Interactive shells are ssh_shell.h.
//
// A stop token (the fan-out pool's deadline) aborts any blocking call: the
// socket is shut down from the stopping thread, so libssh returns at once.
#pragma once

#include <libssh/libssh.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "devices/defaults.h"
#include "devices/host_key_policy.h"
#include "devices/host_key_store.h"

namespace switchyard::devices {

// Never logged, never put into an error message or a result.
struct Credentials {
    std::string username;
    std::string password;        // password or keyboard-interactive auth when set
    std::string key_file;        // private key file (OpenSSH format) when set
    std::string key_passphrase;  // for an encrypted key file
    std::string enable_secret;   // eos: the answer to `enable`'s password prompt
};

struct SshOptions {
    std::chrono::milliseconds connect_timeout = defaults::kConnectTimeout;
    std::chrono::milliseconds command_timeout = defaults::kCommandTimeout;
    std::chrono::milliseconds commit_timeout = defaults::kCommitTimeout;  // a commit gets longer (drivers)
    std::chrono::milliseconds keepalive_interval = defaults::kKeepaliveInterval;
    std::size_t max_output_bytes = defaults::kMaxOutputBytes;  // per command: more fails the device
    HostKeyPolicy host_key_policy = defaults::kHostKeyPolicy;  // accept-new needs host_key_store
    std::string known_hosts_file;                              // strict: empty means ~/.ssh/known_hosts
    HostKeyStore* host_key_store = nullptr;                    // accept-new: required, not owned
};

struct Endpoint {
    std::string hostname;  // the device's name: host-key identity and error messages
    std::string address;   // management IP
    std::uint16_t port = defaults::kSshPort;
};

struct ExecResult {
    std::string output;  // stdout then stderr
    int exit_status = -1;
};

class SshSession {
public:
    SshSession(Endpoint endpoint, Credentials credentials, SshOptions options, std::stop_token stop = {});
    ~SshSession();
    SshSession(const SshSession&) = delete;
    SshSession& operator=(const SshSession&) = delete;

    // Connects, verifies the host key and authenticates. Throws
    // TransientError (refused, reset, unreachable, connect timeout),
    // HostKeyError, AuthError, TimeoutError or DeviceError.
    void connect();
    // Runs one command on an exec channel; throws TimeoutError past `timeout`
    // (the session's command timeout by default).
    ExecResult exec(const std::string& command, std::optional<std::chrono::milliseconds> timeout = {});

    // True once a command or shell went to the device: from then on a failure
    // is not transient, as the device may have acted on it.
    bool command_sent() const { return command_sent_; }
    void mark_command_sent() { command_sent_ = true; }

    const Endpoint& endpoint() const { return endpoint_; }
    const SshOptions& options() const { return options_; }
    ssh_session native() { return session_; }
    // Throws TimeoutError/DeviceError if the stop token fired.
    void check_stopped(const char* what) const;
    // Keeps an idle session alive through NAT and dead-peer detection:
    // called by readers while they wait.
    void keepalive();
    // "device r1 (10.0.0.1:22): " for error messages.
    std::string where() const;
    std::string last_error();

private:
    int open_socket();
    void verify_host_key();
    void authenticate();
    void close_socket();

    Endpoint endpoint_;
    Credentials credentials_;
    SshOptions options_;
    std::stop_token stop_;
    ssh_session session_ = nullptr;
    std::mutex fd_mutex_;  // guards fd_ against the stop callback
    int fd_ = -1;
    std::atomic<bool> command_sent_ = false;
    std::chrono::steady_clock::time_point last_keepalive_;
    std::unique_ptr<std::stop_callback<std::function<void()>>> on_stop_;
};

// A channel that frees itself; used by exec and the shell.
struct ChannelCloser {
    void operator()(ssh_channel c) const;
};
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelCloser>;

}  // namespace switchyard::devices
