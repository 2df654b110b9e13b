#include "devices/ssh_session.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "devices/command_output.h"
#include "devices/errors.h"
#include "devices/ssh_host_key_check.h"

namespace switchyard::devices {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// How often blocking waits wake up to check the stop token and keepalives.
constexpr milliseconds kWaitSlice{200};

void init_libssh() {
    static std::once_flag once;
    std::call_once(once, [] { ssh_init(); });
}

long to_ms(Clock::duration d) { return std::max<long>(0, duration_cast<milliseconds>(d).count()); }

// TCP keepalives find a dead peer even when libssh sits idle in a read.
void set_socket_options(int fd, milliseconds keepalive) {
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    int idle = std::max<int>(1, static_cast<int>(keepalive.count() / 1000));
    int count = 3;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

}  // namespace

void ChannelCloser::operator()(ssh_channel c) const {
    if (ssh_channel_is_open(c)) ssh_channel_close(c);
    ssh_channel_free(c);
}

SshSession::SshSession(Endpoint endpoint, Credentials credentials, SshOptions options, std::stop_token stop)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      options_(std::move(options)),
      stop_(std::move(stop)) {
    init_libssh();
}

SshSession::~SshSession() {
    on_stop_.reset();  // waits for a running callback, so fd_ is ours again
    if (session_) {
        if (ssh_is_connected(session_)) {
            // ssh_disconnect leaves a socket given by SSH_OPTIONS_FD open (and
            // forgets it), which leaked one socket per device per job; once
            // the option is cleared it sends its goodbye and closes it.
            ssh_options_set(session_, SSH_OPTIONS_FD, nullptr);
            ssh_disconnect(session_);
        }
        ssh_free(session_);  // closes the socket if still open (a failed connect)
    } else {
        close_socket();
    }
}

std::string SshSession::where() const {
    return "device " + endpoint_.hostname + " (" + endpoint_.address + ":" + std::to_string(endpoint_.port) + "): ";
}

std::string SshSession::last_error() { return session_ ? ssh_get_error(session_) : "no session"; }

void SshSession::check_stopped(const char* what) const {
    if (stop_.stop_requested()) throw TimeoutError(where() + "deadline exceeded while " + what);
}

void SshSession::close_socket() {
    std::lock_guard lock(fd_mutex_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

int SshSession::open_socket() {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    std::string port = std::to_string(endpoint_.port);
    if (int rc = getaddrinfo(endpoint_.address.c_str(), port.c_str(), &hints, &res); rc != 0)
        throw DeviceError(where() + "bad address: " + gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);

    int fd = ::socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, res->ai_protocol);
    if (fd < 0) throw DeviceError(where() + "socket: " + std::strerror(errno));
    {
        std::lock_guard lock(fd_mutex_);
        fd_ = fd;
    }
    auto deadline = Clock::now() + options_.connect_timeout;
    int err = 0;
    if (::connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            err = errno;
        } else {
            while (true) {
                check_stopped("connecting");
                long left = to_ms(deadline - Clock::now());
                if (left == 0) {
                    close_socket();
                    throw TransientError(where() + "connect timed out after " +
                                         std::to_string(options_.connect_timeout.count()) + " ms");
                }
                pollfd p{fd, POLLOUT, 0};
                int rc = ::poll(&p, 1, static_cast<int>(std::min(left, long(kWaitSlice.count()))));
                if (rc > 0) break;
                if (rc < 0 && errno != EINTR) {
                    err = errno;
                    break;
                }
            }
            if (err == 0) {
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            }
        }
    }
    if (err != 0) {
        close_socket();
        check_stopped("connecting");
        throw TransientError(where() + "connect failed: " + std::strerror(err));
    }
    // libssh wants a blocking socket; our waits are bounded by its timeout
    // option, poll timeouts and the stop callback.
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    set_socket_options(fd, options_.keepalive_interval);
    return fd;
}

void SshSession::connect() {
    check_stopped("starting");
    int fd = open_socket();
    on_stop_ = std::make_unique<std::stop_callback<std::function<void()>>>(stop_, [this] {
        std::lock_guard lock(fd_mutex_);
        if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
    });
    session_ = ssh_new();
    if (!session_) throw DeviceError(where() + "out of memory");
    int port = endpoint_.port;
    int verbosity = SSH_LOG_NOLOG;
    int no = 0;
    long seconds = options_.connect_timeout.count() / 1000;
    long usec = (options_.connect_timeout.count() % 1000) * 1000;
    ssh_options_set(session_, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    ssh_options_set(session_, SSH_OPTIONS_PROCESS_CONFIG, &no);  // ~/.ssh/config must not change behaviour
    ssh_options_set(session_, SSH_OPTIONS_HOST, endpoint_.address.c_str());
    ssh_options_set(session_, SSH_OPTIONS_PORT, &port);
    ssh_options_set(session_, SSH_OPTIONS_USER, credentials_.username.c_str());
    ssh_options_set(session_, SSH_OPTIONS_TIMEOUT, &seconds);
    ssh_options_set(session_, SSH_OPTIONS_TIMEOUT_USEC, &usec);
    if (!options_.known_hosts_file.empty()) {
        ssh_options_set(session_, SSH_OPTIONS_KNOWNHOSTS, options_.known_hosts_file.c_str());
        // Only the file we were given: the system-wide one must not vouch.
        ssh_options_set(session_, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
    }
    ssh_options_set(session_, SSH_OPTIONS_FD, &fd);  // from here on libssh owns the socket
    if (ssh_connect(session_) != SSH_OK) {
        check_stopped("connecting");
        // Before anything was sent: a reset or timeout here is worth a retry.
        throw TransientError(where() + "SSH handshake failed: " + last_error());
    }
    check_host_key(session_, endpoint_, options_);
    authenticate();
    last_keepalive_ = Clock::now();
}

void SshSession::authenticate() {
    if (ssh_userauth_none(session_, nullptr) == SSH_AUTH_SUCCESS) return;
    check_stopped("authenticating");
    int methods = ssh_userauth_list(session_, nullptr);
    std::string tried;
    auto note = [&tried](const char* m) { tried += (tried.empty() ? "" : ", ") + std::string(m); };

    if (!credentials_.key_file.empty() && (methods & SSH_AUTH_METHOD_PUBLICKEY)) {
        ssh_key key = nullptr;
        const char* pass = credentials_.key_passphrase.empty() ? nullptr : credentials_.key_passphrase.c_str();
        if (ssh_pki_import_privkey_file(credentials_.key_file.c_str(), pass, nullptr, nullptr, &key) != SSH_OK)
            throw AuthError(where() + "cannot read private key file " + credentials_.key_file);
        int rc = ssh_userauth_publickey(session_, nullptr, key);
        ssh_key_free(key);
        if (rc == SSH_AUTH_SUCCESS) return;
        note("publickey");
    }
    if (!credentials_.password.empty() && (methods & SSH_AUTH_METHOD_PASSWORD)) {
        if (ssh_userauth_password(session_, nullptr, credentials_.password.c_str()) == SSH_AUTH_SUCCESS) return;
        note("password");
    }
    if (!credentials_.password.empty() && (methods & SSH_AUTH_METHOD_INTERACTIVE)) {
        // Devices that only offer keyboard-interactive ask for the password
        // as a prompt; every prompt gets it.
        int rc = ssh_userauth_kbdint(session_, nullptr, nullptr);
        for (int round = 0; rc == SSH_AUTH_INFO && round < 5; ++round) {
            int prompts = ssh_userauth_kbdint_getnprompts(session_);
            for (int i = 0; i < prompts; ++i)
                ssh_userauth_kbdint_setanswer(session_, static_cast<unsigned>(i), credentials_.password.c_str());
            rc = ssh_userauth_kbdint(session_, nullptr, nullptr);
        }
        if (rc == SSH_AUTH_SUCCESS) return;
        note("keyboard-interactive");
    }
    check_stopped("authenticating");
    if (tried.empty()) tried = "none of the server's methods matched the credentials given";
    throw AuthError(where() + "authentication as " + credentials_.username + " failed (tried: " + tried + ")");
}

void SshSession::keepalive() {
    if (!session_ || options_.keepalive_interval.count() <= 0) return;
    auto now = Clock::now();
    if (now - last_keepalive_ < options_.keepalive_interval) return;
    last_keepalive_ = now;
    ssh_send_ignore(session_, "keepalive");
}

ExecResult SshSession::exec(const std::string& command, std::optional<milliseconds> timeout) {
    check_stopped("opening a channel");
    if (!session_) throw std::logic_error("SshSession::exec before connect");
    ChannelPtr channel(ssh_channel_new(session_));
    if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK) {
        check_stopped("opening a channel");
        std::string msg = where() + "cannot open a channel: " + last_error();
        if (!command_sent_) throw TransientError(msg);
        throw DeviceError(msg);
    }
    command_sent_ = true;
    if (ssh_channel_request_exec(channel.get(), command.c_str()) != SSH_OK) {
        check_stopped("sending a command");
        throw DeviceError(where() + "exec of '" + command + "' refused: " + last_error());
    }
    // stdout and stderr count together against the output limit; the
    // deadline and the stop token are checked between reads, however fast
    // data arrives.
    const auto limit = timeout.value_or(options_.command_timeout);
    const auto deadline = Clock::now() + limit;
    CommandOutput out(options_.max_output_bytes, where()), err(options_.max_output_bytes, where());
    const std::string running = "running '" + command + "'";
    char buf[16384];
    auto drain = [&](int is_stderr, CommandOutput& into) {
        for (;;) {
            check_stopped(running.c_str());
            if (Clock::now() >= deadline) return 0;
            int n = ssh_channel_read_nonblocking(channel.get(), buf, sizeof buf, is_stderr);
            if (n <= 0) return n;
            into.append(std::string_view(buf, static_cast<std::size_t>(n)), out.size() + err.size() - into.size());
        }
    };
    while (true) {
        check_stopped(running.c_str());
        if (drain(0, out) == SSH_ERROR || drain(1, err) == SSH_ERROR) {
            check_stopped(running.c_str());
            throw DeviceError(where() + "connection lost " + running + ": " + last_error());
        }
        if (ssh_channel_is_eof(channel.get())) break;
        long left = to_ms(deadline - Clock::now());
        if (left == 0)
            throw TimeoutError(where() + "'" + command + "' did not finish within " + std::to_string(limit.count()) +
                               " ms (" + std::to_string(out.size() + err.size()) + " bytes read)");
        ssh_channel_poll_timeout(channel.get(), static_cast<int>(std::min(left, long(kWaitSlice.count()))), 0);
        keepalive();
    }
    drain(0, out);
    drain(1, err);
    ExecResult result;
    result.output = out.text() + err.text();
    result.exit_status = ssh_channel_get_exit_status(channel.get());
    return result;
}

}  // namespace switchyard::devices
