#include "server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "default_configs.h"
#include "inventory.h"
#include "personality.h"
#include "rollback_timer.h"
#include "sized_configs.h"
#include "traffic.h"

namespace sim {

namespace {

int g_wake_pipe[2] = {-1, -1};

void on_signal(int) {
    char c = 1;
    [[maybe_unused]] auto n = write(g_wake_pipe[1], &c, 1);
}

// Sessions need little stack; a small one keeps 1,000 threads cheap. The
// sanitizers make frames much larger, so give them room.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kSessionStack = 2 << 20;
#else
constexpr size_t kSessionStack = 512 << 10;
#endif

void raise_fd_limit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

std::vector<ssh_key> read_authorized_keys(const std::filesystem::path& file) {
    std::vector<ssh_key> keys;
    if (file.empty()) return keys;
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read authorized keys " + file.string());
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        std::string type, b64;
        if (!(ss >> type >> b64) || type[0] == '#') continue;
        ssh_key key = nullptr;
        if (ssh_pki_import_pubkey_base64(b64.c_str(), ssh_key_type_from_name(type.c_str()), &key) == SSH_OK)
            keys.push_back(key);
    }
    return keys;
}

long proc_status_kb(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return -1;
}

int open_listener(const std::string& address, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd, 256) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct SessionStart {
    Device* dev;
    ssh_session session;
    const ConnectionContext* ctx;
    std::atomic<int>* active;
};

void* session_thread(void* arg) {
    std::unique_ptr<SessionStart> s(static_cast<SessionStart*>(arg));
    serve_connection(*s->dev, s->session, *s->ctx);
    s->active->fetch_sub(1);
    return nullptr;
}

}  // namespace

Server::Server(SimOptions opts) : opts_(std::move(opts)) {
    if (opts_.devices.empty()) throw std::runtime_error("no devices configured (use --config or --devices)");
    if (opts_.inventory.empty()) opts_.inventory = opts_.state_dir / "inventory.json";
    if (opts_.known_hosts.empty()) opts_.known_hosts = opts_.state_dir / "known_hosts";
    if (opts_.control.empty()) opts_.control = opts_.state_dir / "control.sock";
    std::filesystem::create_directories(opts_.state_dir);
    ssh_init();
    clock_.confirm_minute_seconds = opts_.confirm_minute_seconds;
    authorized_keys_ = read_authorized_keys(opts_.authorized_keys);
    int index = 0;
    for (auto& spec : opts_.devices) {
        std::string initial = !spec.initial_config.empty() ? spec.initial_config
                              : spec.config_lines > 0
                                  ? sized_config(spec.platform, spec.hostname, index, spec.config_lines)
                                  : default_config(spec.platform, spec.hostname, index);
        std::string canonical;
        try {
            canonical = canonical_config(spec.platform, initial);
        } catch (const std::exception& e) {
            throw std::runtime_error(spec.hostname + ": initial config: " + e.what());
        }
        devices_.push_back(std::make_unique<Device>(spec, opts_.state_dir / "devices", canonical));
        ++index;
    }
    binds_.resize(devices_.size(), {nullptr, nullptr});
    conn_ctx_.clock = &clock_;
    conn_ctx_.authorized_keys = &authorized_keys_;
    conn_ctx_.stopping = &stopping_;
    control_target_.devices = &devices_;
    control_target_.stats = [this] { return stats(); };
}

Server::~Server() {
    if (epoll_fd_ >= 0) close(epoll_fd_);
    for (auto& pair : binds_)
        for (ssh_bind b : pair)
            if (b) ssh_bind_free(b);
    for (ssh_key k : authorized_keys_) ssh_key_free(k);
    ssh_finalize();
}

ssh_bind Server::bind_for(size_t i) {
    Device& d = *devices_[i];
    size_t which = d.faults().changed_host_key ? 1 : 0;
    ssh_bind& b = binds_[i][which];
    if (!b) {
        b = ssh_bind_new();
        bool no = false;
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no);  // ignore /etc/ssh/libssh_server_config
        ssh_key key = ssh_key_dup(d.serving_key());
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_IMPORT_KEY, key);  // the bind takes ownership
    }
    return b;
}

nlohmann::json Server::stats() const {
    return {{"devices", devices_.size()},
            {"active_sessions", active_sessions_.load()},
            {"peak_sessions", peak_sessions_.load()},
            {"accepted", accepted_.load()},
            {"hung_connections", hung_.size()},
            {"rss_kb", proc_status_kb("VmRSS:")},
            {"peak_rss_kb", proc_status_kb("VmHWM:")},
            {"threads", proc_status_kb("Threads:")},
            {"traffic", traffic_json()}};
}

bool Server::try_watch(int fd, uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void Server::watch(int fd, uint64_t tag) {
    if (!try_watch(fd, tag)) throw std::runtime_error(std::string("epoll_ctl: ") + strerror(errno));
}

// Opens or closes each device's port to match its refuse_connection fault.
// A closed port leaves the epoll set by itself (its only descriptor closed).
void Server::sync_listeners() {
    for (size_t i = 0; i < devices_.size(); ++i) {
        Device& d = *devices_[i];
        bool want = !d.faults().refuse_connection;
        if (want && d.listen_fd < 0) {
            d.listen_fd = open_listener(opts_.listen_address, d.port());
            if (d.listen_fd < 0)
                throw std::runtime_error(d.hostname() + ": cannot listen on " + opts_.listen_address + ":" +
                                         std::to_string(d.port()) + ": " + strerror(errno));
            watch(d.listen_fd, i);
        } else if (!want && d.listen_fd >= 0) {
            close(d.listen_fd);
            d.listen_fd = -1;
        }
    }
}

void Server::start_session(size_t i, int fd) {
    ssh_session session = ssh_new();
    if (!session || ssh_bind_accept_fd(bind_for(i), session, fd) != SSH_OK) {
        if (session) ssh_free(session);
        close(fd);
        return;
    }
    auto* start = new SessionStart{devices_[i].get(), session, &conn_ctx_, &active_sessions_};
    int now = active_sessions_.fetch_add(1) + 1;
    int peak = peak_sessions_.load();
    while (now > peak && !peak_sessions_.compare_exchange_weak(peak, now)) {
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kSessionStack);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    if (pthread_create(&tid, &attr, session_thread, start) != 0) {
        std::cerr << devices_[i]->hostname() << ": cannot start a session thread\n";
        active_sessions_.fetch_sub(1);
        ssh_free(session);  // closes fd
        delete start;
    }
    pthread_attr_destroy(&attr);
}

void Server::accept_on(size_t i) {
    Device& d = *devices_[i];
    for (;;) {
        int fd = accept4(d.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;  // EAGAIN: drained
        ++accepted_;
        if (d.faults().hang) {
            // Held open, never answered. One the kernel cannot watch (no
            // memory) is closed: a lost connection, not a stopped simulator.
            if (!try_watch(fd, kHungTag | static_cast<uint64_t>(fd))) {
                std::cerr << d.hostname() << ": cannot watch a hung connection (" << strerror(errno) << "); closed\n";
                close(fd);
                continue;
            }
            hung_.push_back({fd});
            continue;
        }
        if (d.locked_out()) {
            close(fd);  // the client sees the connection closed before the banner
            continue;
        }
        start_session(i, fd);
    }
}

void Server::serve_control() {
    int fd = accept4(control_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string request;
    char buf[4096];
    while (request.find('\n') == std::string::npos) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
    }
    nlohmann::json reply;
    auto parsed = nlohmann::json::parse(request, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        reply = {{"ok", false}, {"error", "request is not a JSON object"}};
    else reply = handle_control(parsed, control_target_);
    try {
        sync_listeners();
    } catch (const std::exception& e) {
        reply = {{"ok", false}, {"error", e.what()}};
    }
    std::string out = reply.dump() + "\n";
    std::string_view rest = out;
    while (!rest.empty()) {
        ssize_t n = send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n <= 0) break;
        rest.remove_prefix(static_cast<size_t>(n));
    }
    close(fd);
}

int Server::run() {
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);
    if (pipe2(g_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe failed");
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);

    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + strerror(errno));
    watch(g_wake_pipe[0], kWakeTag);
    sync_listeners();
    std::filesystem::remove(opts_.control);
    control_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un ua{};
    ua.sun_family = AF_UNIX;
    std::strncpy(ua.sun_path, opts_.control.c_str(), sizeof ua.sun_path - 1);
    if (bind(control_fd_, reinterpret_cast<sockaddr*>(&ua), sizeof ua) != 0 || listen(control_fd_, 16) != 0)
        throw std::runtime_error("cannot listen on control socket " + opts_.control.string());
    watch(control_fd_, kControlTag);
    write_inventory(opts_.inventory, devices_, opts_.listen_address);
    write_known_hosts(opts_.known_hosts, devices_, opts_.listen_address);
    RollbackTimer timer(devices_);
    std::cout << "switchyard-sim ready devices=" << devices_.size() << " inventory=" << opts_.inventory.string()
              << " control=" << opts_.control.string() << std::endl;

    std::array<epoll_event, 64> events;
    while (!stopping_) {
        int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 1000);
        if (n < 0 && errno != EINTR) break;
        for (int j = 0; j < n; ++j) {
            uint64_t tag = events[static_cast<size_t>(j)].data.u64;
            if (tag == kWakeTag) stopping_ = true;
            else if (tag == kControlTag) serve_control();
            else if (tag & kHungTag) {
                // A hung connection: read and drop what the client sends; close when it gives up.
                int fd = static_cast<int>(tag & ~kHungTag);
                char buf[512];
                if (read(fd, buf, sizeof buf) > 0) continue;
                close(fd);
                std::erase_if(hung_, [fd](const Hung& h) { return h.fd == fd; });
            } else if (tag < devices_.size() && devices_[tag]->listen_fd >= 0) {
                accept_on(static_cast<size_t>(tag));
            }
        }
    }

    std::cerr << "switchyard-sim stopping: " << active_sessions_.load() << " sessions open\n";
    for (auto& d : devices_)
        if (d->listen_fd >= 0) close(d->listen_fd);
    for (auto& h : hung_) close(h.fd);
    close(control_fd_);
    std::filesystem::remove(opts_.control);
    // Sessions notice `stopping_` within one poll interval (100 ms).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (active_sessions_.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (active_sessions_.load() > 0) {
        std::cerr << "switchyard-sim: " << active_sessions_.load() << " sessions did not end; exiting anyway\n";
        std::cout.flush();
        _exit(0);
    }
    std::cerr << "switchyard-sim stopped\n";
    return 0;
}

}  // namespace sim
