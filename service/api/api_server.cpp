#include "api_server.h"

#include "http_route.h"
#include "http_server.h"
#include "worker_pool.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

namespace switchyard::api {
namespace {

// Descriptors the process keeps besides client connections (database
// connections, logs, the engine's own).
constexpr rlim_t kOtherDescriptors = 256;

// Debian starts services with a soft limit of 1,024 descriptors: raise it
// towards the hard limit so that api.max_connections can be reached.
void allow_descriptors_for(int connections) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    rlim_t wanted = static_cast<rlim_t>(connections) + kOtherDescriptors;
    if (limit.rlim_cur >= wanted) return;
    rlim_t raised = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (raised > limit.rlim_cur) {
        limit.rlim_cur = raised;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (raised < wanted)
        spdlog::warn("API: the descriptor limit ({}) is below api.max_connections + {}; raise LimitNOFILE",
                     static_cast<unsigned long>(raised), static_cast<unsigned long>(kOtherDescriptors));
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
    router_ = std::make_unique<Router>(
        ctx_.auth, ctx_.metrics,
        RouterLimits{static_cast<std::size_t>(a.max_body_bytes), static_cast<std::size_t>(a.max_header_fields)});
    add_api_routes(*router_, ctx_);

    HttpServerOptions o;
    o.host = host;
    o.port = port;
    o.io_threads = a.io_threads;
    o.max_connections = static_cast<std::size_t>(a.max_connections);
    o.max_header_bytes = static_cast<std::size_t>(a.max_header_bytes);
    o.max_body_bytes = static_cast<std::size_t>(a.max_body_bytes);
    o.header_timeout = a.header_timeout_seconds;
    o.idle_timeout = a.idle_timeout_seconds;
    o.body_timeout = a.read_timeout_seconds;
    o.write_timeout = a.write_timeout_seconds;
    o.tls_cert_file = a.tls_cert_file;
    o.tls_key_file = a.tls_key_file;
    allow_descriptors_for(a.max_connections);

    workers_ = std::make_unique<WorkerPool>("API workers", a.threads);
    health_lane_ = std::make_unique<WorkerPool>("API health", 1);
    auto run_on_lane = [this](Lane lane, std::function<void()> task) {
        (lane == Lane::health ? *health_lane_ : *workers_).submit(std::move(task));
    };
    http_ = std::make_unique<HttpServer>(o, *router_, run_on_lane);
    port_ = http_->port();
    ctx_.events.start();
    http_->start();
    spdlog::info("API listening on {}://{}:{}/api/v1.0/", a.tls_cert_file.empty() ? "http" : "https", host, port_);
}

void ApiServer::stop() {
    if (!http_) return;
    ctx_.events.stop();  // ends event streams
    http_->stop(ctx_.settings.api.write_timeout_seconds);
    // Handlers still running finish here; their responses go nowhere.
    workers_->stop();
    health_lane_->stop();
    http_.reset();
    workers_.reset();
    health_lane_.reset();
}

std::size_t ApiServer::connections() const { return http_ ? http_->connections() : 0; }

}  // namespace switchyard::api
