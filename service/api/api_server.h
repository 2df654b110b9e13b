// The HTTP API: cpp-httplib under /api/v1.0/, HTTPS when a certificate and key
// are configured, a bounded worker pool, body size limit, read and write
// timeouts. stop() lets requests in flight finish.
#pragma once

#include "api_context.h"

#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace switchyard::api {

class Router;

class ApiServer {
public:
    explicit ApiServer(ApiContext& ctx);
    ~ApiServer();

    // Binds `listen` ("host:port"; port 0 picks a free one) and serves in a
    // thread. Throws when the address cannot be bound.
    void start(const std::string& listen);
    void stop();
    int port() const { return port_; }

private:
    ApiContext& ctx_;
    std::unique_ptr<Router> router_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace switchyard::api
