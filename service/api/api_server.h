// The HTTP API: the router with every route under /api/v1.0/, the worker
// lanes its handlers run on, and the asynchronous HTTP server
// (http_server.h), HTTPS when a certificate and key are configured.
// stop() lets requests in flight finish.
#pragma once

#include "api_context.h"

#include <memory>
#include <string>

namespace switchyard::api {

class Router;
class WorkerPool;
class HttpServer;

class ApiServer {
public:
    explicit ApiServer(ApiContext& ctx);
    ~ApiServer();

    // Binds `listen` ("host:port"; port 0 picks a free one) and serves on
    // threads of its own. Throws when the address cannot be bound.
    void start(const std::string& listen);
    void stop();
    int port() const { return port_; }
    // Open client connections (tests watch them come and go).
    std::size_t connections() const;

private:
    ApiContext& ctx_;
    std::unique_ptr<Router> router_;
    std::unique_ptr<WorkerPool> workers_;
    std::unique_ptr<WorkerPool> health_lane_;
    std::unique_ptr<HttpServer> http_;
    int port_ = 0;
};

}  // namespace switchyard::api
