#include "api_server.h"

#include "http_route.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace switchyard::api {
namespace {

// Connections waiting to be accepted (the kernel caps it at somaxconn).
constexpr int kListenBacklog = 1024;

}  // namespace

ApiServer::ApiServer(ApiContext& ctx) : ctx_(ctx) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start(const std::string& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("--listen wants host:port, not '" + listen + "'");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = static_cast<int>(parse_int(listen.substr(colon + 1), 0, 65535, "the --listen port"));

    const auto& a = ctx_.settings.api;
    if (!a.tls_cert_file.empty()) {
        auto tls = std::make_unique<httplib::SSLServer>(a.tls_cert_file.c_str(), a.tls_key_file.c_str());
        if (!tls->is_valid())
            throw std::runtime_error("cannot use TLS certificate " + a.tls_cert_file + " with key " + a.tls_key_file);
        server_ = std::move(tls);
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    auto& s = *server_;
    int threads = a.threads;
    s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    s.set_payload_max_length(static_cast<std::size_t>(a.max_body_bytes));
    s.set_read_timeout(a.read_timeout_seconds, 0);
    s.set_write_timeout(a.write_timeout_seconds, 0);
    // httplib closes a keep-alive connection after 5 requests by default: a
    // busy client then reconnects all the time (p99 of bench/api 413 -> 198 ms).
    s.set_keep_alive_max_count(1000);
    s.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
        // Unknown routes and httplib's own refusals (413, 400) get the envelope too.
        if (!res.body.empty()) return;
        std::string message = res.status == 404   ? "no such route: " + req.method + " " + req.path
                              : res.status == 413 ? "the body is larger than " + std::to_string(ctx_.settings.api.max_body_bytes) + " bytes"
                                                  : "request refused";
        res.set_content(dump_json({{"status", "error"}, {"message", message}}), "application/json");
        ctx_.metrics.count("unmatched", res.status);
    });
    s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("{} {}: unhandled exception", req.method, req.path);
        send_error(res, 500, "internal error (logged)");
    });

    add_jobs_routes(s, ctx_);
    add_locks_routes(s, ctx_);
    add_health_routes(s, ctx_);
    add_event_routes(s, ctx_);
    add_devices_routes(s, ctx_);
    add_device_config_routes(s, ctx_);
    add_syncto_routes(s, ctx_);

    // Debian's compiled cpp-httplib listens with a backlog of 5: 64 clients
    // connecting at once had handshakes dropped and retried a second or more
    // later (wrk timeouts in bench/api). Its socket-options hook tells us the
    // listening socket; listen() again raises the backlog.
    int listening = -1;
    s.set_socket_options([&listening](socket_t sock) {
        httplib::default_socket_options(sock);
        listening = sock;
    });
    port_ = port == 0 ? s.bind_to_any_port(host.c_str()) : (s.bind_to_port(host.c_str(), port) ? port : -1);
    if (port_ <= 0) throw std::runtime_error("cannot listen on " + listen + " (address in use or not local?)");
    if (listening >= 0 && ::listen(listening, kListenBacklog) != 0)
        spdlog::warn("API: could not raise the listen backlog: {}", std::strerror(errno));
    ctx_.events.start();
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    spdlog::info("API listening on {}://{}:{}/api/v1.0/", a.tls_cert_file.empty() ? "http" : "https", host, port_);
}

void ApiServer::stop() {
    if (!server_) return;
    ctx_.events.stop();  // ends event streams, so their threads come free
    server_->stop();     // stops accepting; the pool finishes requests in flight
    if (thread_.joinable()) thread_.join();
    server_.reset();
}

}  // namespace switchyard::api
