#include "api_server.h"

#include "http_route.h"

#include <httplib.h>

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <cstring>

namespace switchyard::api {
namespace {

// Connections waiting to be accepted (the kernel caps it at somaxconn).
constexpr int kListenBacklog = 1024;
constexpr std::size_t kMaxHeaderFields = 100;

// Our response into httplib's; a stream is pulled whenever it wakes us, or
// every second.
void send_with_httplib(HttpResponse out, httplib::Response& res) {
    res.status = out.status;
    for (auto& [k, v] : out.headers) res.set_header(k, v);
    if (!out.stream) {
        res.set_content(std::move(out.body), out.content_type);
        return;
    }
    struct Wakeup {
        std::mutex mutex;
        std::condition_variable cv;
        bool woken = true;
    };
    auto wakeup = std::make_shared<Wakeup>();
    auto stream = out.stream;
    stream->open([wakeup] {
        std::lock_guard lock(wakeup->mutex);
        wakeup->woken = true;
        wakeup->cv.notify_all();
    });
    res.set_chunked_content_provider(
        out.content_type,
        [stream, wakeup](std::size_t, httplib::DataSink& sink) {
            {
                std::unique_lock lock(wakeup->mutex);
                wakeup->cv.wait_for(lock, std::chrono::seconds(1), [&] { return wakeup->woken; });
                wakeup->woken = false;
            }
            if (stream->abandoned() || !sink.is_writable()) return false;
            auto pulled = stream->pull();
            if (!pulled.data.empty() && !sink.write(pulled.data.data(), pulled.data.size())) return false;
            if (pulled.end) sink.done();
            return true;
        },
        [stream](bool) { stream->close(); });
}

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
    s.set_read_timeout(a.read_timeout_seconds);
    s.set_write_timeout(a.write_timeout_seconds);
    // httplib closes a keep-alive connection after 5 requests by default: a
    // busy client then reconnects all the time (p99 of bench/api 413 -> 198 ms).
    s.set_keep_alive_max_count(1000);
    s.set_error_handler([this](const httplib::Request&, httplib::Response& res) {
        // httplib's own refusals (413, 400) get the envelope too.
        if (!res.body.empty()) return;
        std::string message = res.status == 413 ? "the body is larger than " + std::to_string(ctx_.settings.api.max_body_bytes) + " bytes"
                                                : "request refused";
        res.set_content(dump_json({{"status", "error"}, {"message", message}}), "application/json");
        ctx_.metrics.count("unmatched", res.status);
    });

    s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("{} {}: unhandled exception", req.method, req.path);
        res.status = 500;
        res.set_content(error_response(500, "internal error (logged)").body, "application/json");
    });

    router_ = std::make_unique<Router>(ctx_.auth, ctx_.metrics,
                                       RouterLimits{static_cast<std::size_t>(a.max_body_bytes), kMaxHeaderFields});
    add_api_routes(*router_, ctx_);
    // Every request goes to our router, which finds the route itself.
    auto serve = [this](const httplib::Request& req, httplib::Response& res) {
        RequestHead head;
        head.method = req.method;
        head.target = req.target;
        for (auto& [k, v] : req.headers) head.headers.add(k, v);
        head.has_body = !req.body.empty();
        head.content_length = req.body.size();
        Admission admitted = router_->admit(std::move(head));
        HttpResponse out;
        if (admitted.refusal) {
            out = std::move(*admitted.refusal);
        } else {
            admitted.request.body = req.body;
            out = router_->dispatch(*admitted.route, admitted.request, admitted.principal);
        }
        send_with_httplib(std::move(out), res);
    };
    s.Get(".*", serve);
    s.Put(".*", serve);
    s.Post(".*", serve);
    s.Delete(".*", serve);

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
