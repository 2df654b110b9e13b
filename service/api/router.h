// The API's routes and what happens to a request before and around its
// handler, without sockets (the server and the fuzz target both drive it):
//
//   admit(head)      the request line and header only: the route is found,
//                    the client authenticated and the body's announced type
//                    and size checked, so that a refused request costs no body
//                    read (404, 405, 401, 403, 415, 413, 400 with an envelope);
//   dispatch(...)    the handler, with the body read; bad input becomes a 4xx
//                    with a message, a lost database a 503, anything else a
//                    logged 500.
#pragma once

#include "auth.h"
#include "http_message.h"
#include "request_metrics.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::api {

using Handler = std::function<void(const HttpRequest&, HttpResponse&, const Principal&)>;

// Where a route's handler runs: most on the shared worker pool, in arrival
// order; /health on a lane of its own, so that it answers while the workers
// are busy with slow database work.
enum class Lane { workers, health };

struct Route {
    Method method;
    std::string pattern;       // "/api/v1.0/job/{id}": a {name} segment matches one non-empty path segment
    std::string name;          // for metrics and logs: "GET /job"
    std::optional<Role> role;  // nullopt: no token needed
    Lane lane = Lane::workers;
    Handler handler;
    std::vector<std::string> segments;  // the pattern split at '/', filled by Router::add
};

// The request line and header fields as read from the connection.
struct RequestHead {
    std::string method;  // as sent: "GET"
    std::string target;  // as sent: "/api/v1.0/jobs?page=2"
    HeaderFields headers;
    bool has_body = false;                        // Content-Length > 0 or chunked
    std::optional<std::uint64_t> content_length;  // when announced
};

struct Admission {
    std::optional<HttpResponse> refusal;  // set: answer it; the body (if any) is never read
    const Route* route = nullptr;
    HttpRequest request;  // everything but the body
    Principal principal;
};

struct RouterLimits {
    std::size_t max_body_bytes;
    std::size_t max_header_fields;
};

class Router {
public:
    Router(const AuthConfig& auth, RequestMetrics& metrics, RouterLimits limits);

    void add(Route route);
    Admission admit(RequestHead head) const;
    // Never throws.
    HttpResponse dispatch(const Route& route, const HttpRequest& request, const Principal& principal) const;
    // The answer to a request refused before it reached a route (a header too
    // large, a malformed request): the envelope, counted under "unmatched".
    HttpResponse refuse(int status, const std::string& message) const;

    const RouterLimits& limits() const { return limits_; }

private:
    const AuthConfig& auth_;
    RequestMetrics& metrics_;
    RouterLimits limits_;
    std::vector<Route> routes_;
};

// {"status":"error","message":...} with `status`.
HttpResponse error_response(int status, const std::string& message);

// Percent-decoding of a path segment or query component (a '+' in a query is
// a space). nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// Percent-encoding of a query component (unreserved characters kept).
std::string percent_encode(std::string_view text);

}  // namespace switchyard::api
