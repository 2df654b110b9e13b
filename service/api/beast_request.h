// Between Boost.Beast's request parser and the router: what the server and
// the fuzz target (tests/fuzz/api_fuzz.cpp) both do with a parsed header or a
// parse error, so that the fuzz target takes the path a request takes.
// Included only by http_server.cpp and the fuzz target (Beast is slow to
// compile).
#pragma once

#include "router.h"

#include <boost/beast/http.hpp>

#include <limits>
#include <optional>

namespace switchyard::api::beast_glue {

namespace http = boost::beast::http;
using RequestParser = http::request_parser<http::string_body>;

// A parser ready for a request's header. The body's limit is set only once
// the request is admitted (set_body_limit): a token is checked before a
// Content-Length is judged.
inline void prepare(RequestParser& parser, std::size_t max_header_bytes) {
    parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

inline void set_body_limit(RequestParser& parser, std::size_t max_body_bytes) { parser.body_limit(max_body_bytes); }

// The request line and header fields of a parsed header.
inline RequestHead head_of(const RequestParser& parser) {
    auto& msg = parser.get();
    RequestHead head;
    head.method = std::string(msg.method_string());
    head.target = std::string(msg.target());
    for (auto& field : msg) head.headers.add(std::string(field.name_string()), std::string(field.value()));
    if (auto length = parser.content_length()) head.content_length = *length;
    head.has_body = parser.chunked() || (head.content_length && *head.content_length > 0);
    return head;
}

// The answer to a failed read of a header or body; nullopt when there is
// none to give (the client left, or a deadline passed: the connection just
// closes).
inline std::optional<HttpResponse> refusal_for(const Router& router, const boost::beast::error_code& ec,
                                               std::size_t max_header_bytes, std::size_t max_body_bytes) {
    if (ec == http::error::header_limit)
        return router.refuse(431, "the request header is larger than " + std::to_string(max_header_bytes) + " bytes");
    if (ec == http::error::body_limit)
        return router.refuse(413, "the body is larger than " + std::to_string(max_body_bytes) + " bytes");
    bool parse_error = ec.category() == http::make_error_code(http::error::bad_method).category();
    if (parse_error && ec != http::error::end_of_stream && ec != http::error::partial_message &&
        ec != http::error::need_more)
        return router.refuse(400, "malformed HTTP request (" + ec.message() + ")");
    return std::nullopt;
}

}  // namespace switchyard::api::beast_glue
