#include "control.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "personality.h"

namespace sim {

namespace {

Device& find_device(const ControlTarget& t, const nlohmann::json& req) {
    std::string host = req.at("host").get<std::string>();
    for (const auto& d : *t.devices)
        if (d->hostname() == host) return *d;
    throw std::invalid_argument("no such device: " + host);
}

nlohmann::json device_summary(Device& d) {
    nlohmann::json j = {{"hostname", d.hostname()},
                        {"port", d.port()},
                        {"platform", platform_name(d.platform())},
                        {"faults", faults_to_json(d.faults())}};
    std::lock_guard lk(d.mu);
    j["pending_rollback"] = d.pending.has_value();
    if (d.pending && !d.pending->session.empty()) j["pending_session"] = d.pending->session;
    nlohmann::json sessions = nlohmann::json::array();
    for (const auto& [name, s] : d.eos_sessions) sessions.push_back(name);
    j["eos_pending_sessions"] = sessions;
    j["junos_shared_modified"] = d.junos_shared.has_value();
    if (d.pending) {
        auto left = std::chrono::duration<double>(d.pending->deadline - std::chrono::steady_clock::now()).count();
        j["rollback_in_seconds"] = left;
    }
    return j;
}

nlohmann::json dispatch(const nlohmann::json& req, const ControlTarget& t) {
    const std::string op = req.at("op").get<std::string>();
    if (op == "list") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& d : *t.devices) out.push_back(device_summary(*d));
        return {{"ok", true}, {"devices", out}};
    }
    if (op == "stats") {
        nlohmann::json s = t.stats ? t.stats() : nlohmann::json::object();
        s["ok"] = true;
        return s;
    }
    Device& d = find_device(t, req);
    if (op == "get") {
        std::lock_guard lk(d.mu);
        return {{"ok", true}, {"config", show_running_locked(d)}, {"canonical", d.running}};
    }
    if (op == "set") {
        std::string next = canonical_config(d.platform(), req.at("config").get<std::string>());
        std::lock_guard lk(d.mu);
        d.commit_locked(std::move(next), "oob");
        return {{"ok", true}};
    }
    if (op == "faults") {
        d.set_faults(parse_faults(req.at("faults")));
        return {{"ok", true}, {"faults", faults_to_json(d.faults())}};
    }
    if (op == "cli") {
        d.set_cli_traits(parse_cli_traits(req.at("cli")));
        return {{"ok", true}, {"cli", cli_traits_to_json(d.cli_traits())}};
    }
    if (op == "status") return {{"ok", true}, {"device", device_summary(d)}};
    if (op == "expire_timer") {
        // The test's clock: a pending commit timer runs out now (the rollback
        // thread applies it within its next poll), so tests need neither short
        // timers racing the code under test nor long waits.
        std::lock_guard lk(d.mu);
        if (!d.pending) return {{"ok", false}, {"error", d.hostname() + " has no pending commit timer"}};
        d.pending->deadline = std::chrono::steady_clock::now();
        return {{"ok", true}};
    }
    throw std::invalid_argument("unknown op: " + op);
}

}  // namespace

nlohmann::json handle_control(const nlohmann::json& request, const ControlTarget& target) {
    try {
        return dispatch(request, target);
    } catch (const std::exception& e) {
        return {{"ok", false}, {"error", e.what()}};
    }
}

nlohmann::json control_request(const std::string& socket_path, const nlohmann::json& request) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket: " + std::string(strerror(errno)));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof addr.sun_path) {
        close(fd);
        throw std::runtime_error("control socket path too long");
    }
    std::strcpy(addr.sun_path, socket_path.c_str());
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::string err = strerror(errno);
        close(fd);
        throw std::runtime_error("connect " + socket_path + ": " + err);
    }
    std::string msg = request.dump() + "\n";
    if (write(fd, msg.data(), msg.size()) != static_cast<ssize_t>(msg.size())) {
        close(fd);
        throw std::runtime_error("control write failed");
    }
    std::string reply;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        reply.append(buf, static_cast<size_t>(n));
        if (reply.back() == '\n') break;
    }
    close(fd);
    return nlohmann::json::parse(reply);
}

}  // namespace sim
