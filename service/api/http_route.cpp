#include "http_route.h"

#include "store/database.h"

#include <spdlog/spdlog.h>

namespace switchyard::api {

using nlohmann::json;

std::string dump_json(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_success(httplib::Response& res, const json& data, int status) {
    res.status = status;
    res.set_content(dump_json({{"status", "success"}, {"data", data}}), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(dump_json({{"status", "error"}, {"message", message}}), "application/json");
}

json json_object_body(const httplib::Request& req) {
    if (req.body.empty()) throw BadRequest("a JSON object body is required");
    json body;
    try {
        body = json::parse(req.body);
    } catch (const json::parse_error& e) {
        // e.what() quotes the position, not the body.
        throw BadRequest(std::string("the body is not valid JSON: ") + e.what());
    }
    if (!body.is_object()) throw BadRequest("the body must be a JSON object");
    return body;
}

void reject_unknown_keys(const json& body, std::initializer_list<const char*> allowed) {
    for (auto& [key, value] : body.items()) {
        bool known = false;
        for (auto* a : allowed) known = known || key == a;
        if (!known) throw BadRequest("unknown field '" + key + "'");
    }
}

void add_route(httplib::Server& server, ApiContext& ctx, Method method, const std::string& pattern,
               const std::string& route_name, std::optional<Role> role, Handler handler) {
    auto wrapped = [&ctx, route_name, role, handler](const httplib::Request& req, httplib::Response& res) {
        try {
            Principal principal;
            if (role) {
                auto auth = authenticate(req.get_header_value("Authorization"), ctx.auth);
                if (auto* failure = std::get_if<AuthFailure>(&auth)) {
                    if (failure->http_status == 401) res.set_header("WWW-Authenticate", "Bearer");
                    send_error(res, failure->http_status, failure->message);
                    ctx.metrics.count(route_name, res.status);
                    return;
                }
                principal = std::get<Principal>(auth);
                if (!allows(principal.roles, *role)) {
                    send_error(res, 403, "this needs the " + role_name(*role) + " role");
                    ctx.metrics.count(route_name, res.status);
                    return;
                }
            }
            handler(req, res, principal);
        } catch (const BadRequest& e) {
            send_error(res, 400, e.what());
        } catch (const NotFound& e) {
            send_error(res, 404, e.what());
        } catch (const std::invalid_argument& e) {
            send_error(res, 400, e.what());
        } catch (const json::exception& e) {
            send_error(res, 400, std::string("bad JSON value: ") + e.what());
        } catch (const std::exception& e) {
            if (store::is_connection_error(e)) {
                send_error(res, 503, "the database is unavailable; try again");
            } else {
                spdlog::error("{} {}: {}", req.method, req.path, e.what());
                send_error(res, 500, "internal error (logged)");
            }
        }
        ctx.metrics.count(route_name, res.status);
    };
    switch (method) {
        case Method::get: server.Get(pattern, wrapped); break;
        case Method::put: server.Put(pattern, wrapped); break;
        case Method::post: server.Post(pattern, wrapped); break;
        case Method::del: server.Delete(pattern, wrapped); break;
    }
}

}  // namespace switchyard::api
