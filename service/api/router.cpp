#include "router.h"

#include "devices/secret_masker.h"
#include "request_errors.h"
#include "store/database.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace switchyard::api {
namespace {

using nlohmann::json;

std::optional<Method> parse_method(const std::string& m) {
    if (m == "GET") return Method::get;
    if (m == "PUT") return Method::put;
    if (m == "POST") return Method::post;
    if (m == "DELETE") return Method::del;
    return std::nullopt;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto at = text.find(sep, start);
        out.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

// Valid UTF-8 without NUL: what may reach a route, a log line or a query.
bool clean_text(const std::string& s) {
    if (s.find('\0') != std::string::npos) return false;
    try {
        (void)json(s).dump();  // nlohmann's strict serialiser checks UTF-8 (overlong forms, surrogates)
        return true;
    } catch (const json::type_error&) {
        return false;
    }
}

// What of a client's path goes into a message: short, and printable.
std::string quoted_path(const std::string& path) { return path.size() <= 200 ? path : path.substr(0, 200) + "..."; }

bool ieq(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// application/json, with parameters (charset) or not.
bool is_json_media_type(std::string_view content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    return ieq(type, "application/json");
}

bool segments_match(const Route& r, const std::vector<std::string>& path, std::vector<std::string>* args) {
    if (r.segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const auto& want = r.segments[i];
        bool placeholder = want.size() >= 2 && want.front() == '{' && want.back() == '}';
        if (placeholder ? path[i].empty() : want != path[i]) return false;
    }
    if (args)
        for (std::size_t i = 0; i < path.size(); ++i)
            if (r.segments[i].front() == '{') args->push_back(path[i]);
    return true;
}

}  // namespace

const std::string& HeaderFields::get(std::string_view name) const {
    static const std::string none;
    for (auto& [k, v] : fields_)
        if (ieq(k, name)) return v;
    return none;
}

bool HeaderFields::has(std::string_view name) const {
    for (auto& [k, v] : fields_)
        if (ieq(k, name)) return true;
    return false;
}

std::string_view method_name(Method m) {
    switch (m) {
        case Method::get: return "GET";
        case Method::put: return "PUT";
        case Method::post: return "POST";
        case Method::del: return "DELETE";
    }
    return "?";
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += plus_is_space && c == '+' ? ' ' : c;
        }
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

HttpResponse error_response(int status, const std::string& message) {
    HttpResponse res;
    res.status = status;
    // Error messages quote what a client or a device sent: they leave
    // through the one secret masker.
    res.set_content(json{{"status", "error"}, {"message", devices::safe_text(message)}}.dump(
                        -1, ' ', false, json::error_handler_t::replace),
                    "application/json");
    return res;
}

Router::Router(const AuthConfig& auth, RequestMetrics& metrics, RouterLimits limits)
    : auth_(auth), metrics_(metrics), limits_(limits) {}

void Router::add(Route route) {
    for (auto part : split(route.pattern, '/')) route.segments.emplace_back(part);
    routes_.push_back(std::move(route));
}

HttpResponse Router::refuse(int status, const std::string& message) const {
    metrics_.count("unmatched", status);
    return error_response(status, message);
}

Admission Router::admit(RequestHead head) const {
    Admission a;
    auto refused = [&](const char* route_name, int status, const std::string& message,
                       std::pair<std::string, std::string> header = {}) -> Admission {
        metrics_.count(route_name, status);
        a.refusal = error_response(status, message);
        if (!header.first.empty()) a.refusal->set_header(std::move(header.first), std::move(header.second));
        return std::move(a);
    };
    if (head.headers.size() > limits_.max_header_fields)
        return refused("unmatched", 431, "more than " + std::to_string(limits_.max_header_fields) + " header fields");
    if (head.target.empty() || head.target[0] != '/')
        return refused("unmatched", 400, "the request target must be a path starting with '/'");

    std::string_view target = head.target;
    auto question = target.find('?');
    std::string_view raw_path = target.substr(0, question);
    std::vector<std::string> segments;
    for (auto part : split(raw_path, '/')) {
        auto decoded = percent_decode(part, false);
        if (!decoded) return refused("unmatched", 400, "malformed percent-escape in the path");
        if (!clean_text(*decoded))
            return refused("unmatched", 400, "the path must be valid UTF-8 without NUL characters");
        segments.push_back(std::move(*decoded));
    }
    std::string path;
    for (std::size_t i = 1; i < segments.size(); ++i) path += "/" + segments[i];
    if (path.empty()) path = "/";

    QueryParams params;
    if (question != std::string_view::npos) {
        for (auto pair : split(target.substr(question + 1), '&')) {
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
            if (!name || !value) return refused("unmatched", 400, "malformed percent-escape in the query string");
            if (!clean_text(*name) || !clean_text(*value))
                return refused("unmatched", 400, "query parameters must be valid UTF-8 without NUL characters");
            params.emplace(std::move(*name), std::move(*value));
        }
    }

    auto method = parse_method(head.method);
    const Route* route = nullptr;
    std::string allowed;
    for (auto& r : routes_) {
        if (!segments_match(r, segments, nullptr)) continue;
        if (method && r.method == *method) {
            route = &r;
            break;
        }
        allowed += (allowed.empty() ? "" : ", ") + std::string(method_name(r.method));
    }
    if (!route && allowed.empty()) return refused("unmatched", 404, "no such route: " + quoted_path(path));
    if (!route) {
        std::string shown = clean_text(head.method) && head.method.size() <= 20 ? head.method : "this method";
        return refused("unmatched", 405,
                       shown + " is not allowed on " + quoted_path(path) + " (allowed: " + allowed + ")",
                       {"Allow", allowed});
    }
    const char* name = route->name.c_str();

    if (route->role) {
        auto auth = authenticate(head.headers.get("Authorization"), auth_);
        if (auto* failure = std::get_if<AuthFailure>(&auth)) {
            std::pair<std::string, std::string> challenge;
            if (failure->http_status == 401) challenge = {"WWW-Authenticate", "Bearer"};
            return refused(name, failure->http_status, failure->message, std::move(challenge));
        }
        a.principal = std::get<Principal>(auth);
        if (!allows(a.principal.roles, *route->role))
            return refused(name, 403, "this needs the " + role_name(*route->role) + " role");
    }

    if (head.has_body) {
        if (route->method == Method::get) return refused(name, 400, route->name + " takes no body");
        if (!is_json_media_type(head.headers.get("Content-Type")))
            return refused(name, 415, "the body must be JSON, sent with Content-Type: application/json");
        if (head.content_length && *head.content_length > limits_.max_body_bytes)
            return refused(name, 413, "the body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    }

    a.route = route;
    a.request.method = route->method;
    a.request.path = std::move(path);
    a.request.params = std::move(params);
    segments_match(*route, segments, &a.request.path_args);
    a.request.headers = std::move(head.headers);
    return a;
}

HttpResponse Router::dispatch(const Route& route, const HttpRequest& req, const Principal& principal) const {
    HttpResponse res;
    auto fail = [&](int status, const std::string& message) {
        // Headers a handler set before it failed (paging, say) do not belong
        // to the error.
        res = error_response(status, message);
    };
    try {
        route.handler(req, res, principal);
    } catch (const BadRequest& e) {
        fail(400, e.what());
    } catch (const NotFound& e) {
        fail(404, e.what());
    } catch (const std::invalid_argument& e) {
        fail(400, e.what());
    } catch (const json::exception& e) {
        fail(400, std::string("bad JSON value: ") + e.what());
    } catch (const std::exception& e) {
        if (store::is_connection_error(e)) {
            fail(503, "the database is unavailable; try again");
        } else {
            spdlog::error("{} {}: {}", method_name(route.method), req.path, e.what());
            fail(500, "internal error (logged)");
        }
    } catch (...) {
        spdlog::error("{} {}: unknown exception", method_name(route.method), req.path);
        fail(500, "internal error (logged)");
    }
    metrics_.count(route.name, res.status);
    return res;
}

}  // namespace switchyard::api
