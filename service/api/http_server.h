// The HTTP/1.1 server under the API (Boost.Beast and Asio, kept inside
// http_server.cpp): asynchronous connections on a few I/O threads, so a slow,
// idle or merely connected client holds a socket and a small buffer, never a
// thread. Per request:
//
//   1. the header, within header_timeout of its first byte (a total, not per
//      byte), at most max_header_bytes (431 beyond); an idle keep-alive
//      connection is closed after idle_timeout;
//   2. the router admits it from the header alone (route, token, announced
//      body type and size): a refusal is sent without reading the body, and
//      the connection is then closed;
//   3. the body, within body_timeout, at most max_body_bytes whatever the
//      transfer encoding (413 beyond);
//   4. the handler, on the worker lane its route names; the connection reads
//      nothing more until the response is written (one request in flight per
//      connection), within write_timeout.
//
// Responses are sent with TCP_NODELAY: a keep-alive client otherwise waits
// for the delayed ACK (about 40 ms) on every response. A streamed response
// is written as chunks: Server-Sent Events when their source wakes it; a
// source whose pull blocks (a large job document) is pulled on the route's
// worker lane each time its previous chunk is written. Each chunk must be
// written within write_timeout: a client that stops reading a stream is cut.
#pragma once

#include "router.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace switchyard::api {

struct HttpServerOptions {
    std::string host;  // an address; "localhost" too
    int port = 0;      // 0: a free one
    int io_threads = 2;
    std::size_t max_connections = 1000;  // beyond: 503 and closed at once
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 1 << 20;
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds body_timeout{10'000};
    std::chrono::milliseconds write_timeout{10'000};
    std::string tls_cert_file;  // both set: HTTPS only
    std::string tls_key_file;
};

// Runs `task` on the lane (thread pool) named.
using LaneRunner = std::function<void(Lane, std::function<void()>)>;

class HttpServer {
public:
    // Binds and listens at once (throws when the address cannot be bound or
    // the certificate and key cannot be used); serves after start().
    HttpServer(HttpServerOptions options, const Router& router, LaneRunner run_on_lane);
    ~HttpServer();

    void start();
    int port() const;
    std::size_t connections() const;
    // Stops accepting, closes idle connections and event streams, lets
    // requests in flight finish (waiting at most `grace`), then stops the I/O
    // threads. Handlers still running may finish later: their responses are
    // dropped.
    void stop(std::chrono::milliseconds grace);

    struct Impl;  // http_server.cpp's own

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::api
