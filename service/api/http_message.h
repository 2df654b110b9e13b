// The request and response every API route sees. They belong to Switchyard,
// not to an HTTP library: the server that fills them (service/api/http_server)
// can change without touching a route, and the fuzz target builds them without
// a socket.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::api {

enum class Method { get, put, post, del };

// Query parameters, percent-decoded, in the order sent (a name may repeat).
using QueryParams = std::multimap<std::string, std::string>;

// Header fields as received; names compare case-insensitively.
class HeaderFields {
public:
    void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
    // The first field called `name`, or "" when there is none.
    const std::string& get(std::string_view name) const;
    bool has(std::string_view name) const;
    std::size_t size() const { return fields_.size(); }
    auto begin() const { return fields_.begin(); }
    auto end() const { return fields_.end(); }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
    Method method = Method::get;
    std::string path;                    // percent-decoded, without the query
    QueryParams params;                  // the query string, decoded
    std::vector<std::string> path_args;  // what the route's {placeholders} matched, in order
    HeaderFields headers;
    std::string body;  // read only after the route was found and the client authenticated

    const std::string& header(std::string_view name) const { return headers.get(name); }
};

// A response body written as it is produced, as chunks (Server-Sent Events,
// a large job document). The server calls open() once, then pull() whenever
// `wake` was called and the previous data is written, and at least once a
// second (so a source can send keepalives and notice deadlines without a
// thread of its own).
//
// A source whose pull() blocks (it reads the database) says so with
// pull_blocks(): its pull() then runs on the request's worker lane, never on
// a thread that serves sockets, one at a time, and again as soon as what it
// returned is written (no wake needed). It holds no thread between pulls, so
// a slow client costs a worker only for the pulls it reads.
class ResponseStream {
public:
    struct Pull {
        std::string data;  // to send now (may be empty)
        bool end = false;  // the stream is over once `data` is sent
        // The source failed after the response began: the connection is
        // closed at once, without the chunked body's last chunk, so that the
        // client sees an incomplete response, never a shorter one that looks
        // whole. `data` is not sent.
        bool cut = false;
    };
    virtual ~ResponseStream() = default;
    // `wake` may be called from any thread, any number of times.
    virtual void open(std::function<void()> wake) = 0;
    virtual bool pull_blocks() const { return false; }
    virtual Pull pull() = 0;
    // True when the stream must end at once, even with data still unwritten
    // (a subscriber that stopped reading). Asked while a write is stalled.
    virtual bool abandoned() = 0;
    // The connection is gone or the server stops; called once, last.
    virtual void close() = 0;
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
    std::string content_type;
    std::string body;
    std::shared_ptr<ResponseStream> stream;  // set: the body comes from here, not `body`

    void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
    void set_content(std::string b, std::string type) {
        body = std::move(b);
        content_type = std::move(type);
    }
};

std::string_view method_name(Method m);

}  // namespace switchyard::api
