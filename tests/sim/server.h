// The simulator process: one listening socket per device, one poll loop that
// accepts connections for all of them (plus the control socket), and one
// small-stack thread per SSH connection.
#pragma once

#include <libssh/libssh.h>
#include <libssh/server.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "connection.h"
#include "control.h"
#include "device.h"
#include "sim_config.h"

namespace sim {

class Server {
public:
    explicit Server(SimOptions opts);  // builds devices, loads keys; throws on bad input
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Opens the ports, writes the inventory, prints the ready line, serves until
    // SIGTERM/SIGINT, then waits for sessions to end. Returns the exit status.
    int run();

private:
    struct Hung {
        int fd;
    };
    // What an epoll event is about: a device's listening port (its index),
    // or one of these, or a hung connection (kHungTag | fd).
    static constexpr uint64_t kWakeTag = ~uint64_t{0};
    static constexpr uint64_t kControlTag = ~uint64_t{0} - 1;
    static constexpr uint64_t kHungTag = uint64_t{1} << 62;
    void watch(int fd, uint64_t tag);
    // As watch(), false (errno set) where epoll cannot take it.
    bool try_watch(int fd, uint64_t tag);
    void sync_listeners();
    void accept_on(size_t device_index);
    void serve_control();
    void start_session(size_t device_index, int fd);
    ssh_bind bind_for(size_t device_index);
    nlohmann::json stats() const;

    SimOptions opts_;
    std::vector<std::unique_ptr<Device>> devices_;
    std::vector<std::array<ssh_bind, 2>> binds_;  // [normal key, changed key] per device
    std::vector<ssh_key> authorized_keys_;
    SimClock clock_;
    ConnectionContext conn_ctx_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> active_sessions_{0};
    std::atomic<long> accepted_{0};
    std::atomic<int> peak_sessions_{0};
    std::vector<Hung> hung_;
    int control_fd_ = -1;
    // The accept loop waits on epoll: poll() over 10,000 listening ports
    // cost the simulator O(devices) per connection, CPU taken from the
    // client it serves on the same machine.
    int epoll_fd_ = -1;
    ControlTarget control_target_;
};

}  // namespace sim
