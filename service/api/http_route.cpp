#include "http_route.h"

namespace switchyard::api {

using nlohmann::json;

std::string dump_json(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_success(HttpResponse& res, const json& data, int status) {
    res.status = status;
    res.set_content(dump_json({{"status", "success"}, {"data", data}}), "application/json");
}

void send_scheduled(HttpResponse& res, const std::string& message, std::int64_t job_id, const json& more) {
    json envelope = {{"status", "success"}, {"data", message}, {"job_id", job_id}};
    envelope.update(more);
    res.status = 200;
    res.set_content(dump_json(envelope), "application/json");
}

void send_error(HttpResponse& res, int status, const std::string& message) {
    // The handler's headers (Retry-After, say) stay; the envelope is the one
    // error_response makes, masked.
    res.status = status;
    res.set_content(error_response(status, message).body, "application/json");
}

json json_object_body(const HttpRequest& req) {
    if (req.body.empty()) throw BadRequest("a JSON object body is required");
    // nlohmann parses without recursion, but serialising and copying recurse:
    // depth is refused while parsing, before anything else touches the value.
    // PostgreSQL stores no NUL in text, so a NUL is refused here too rather
    // than as a database error later.
    auto check = [](int depth, json::parse_event_t event, json& parsed) {
        if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
            depth >= kMaxJsonDepth)
            throw BadRequest("the body is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        if ((event == json::parse_event_t::value || event == json::parse_event_t::key) && parsed.is_string() &&
            parsed.get_ref<const std::string&>().find('\0') != std::string::npos)
            throw BadRequest("text in the body must not contain NUL characters");
        return true;
    };
    json body;
    try {
        body = json::parse(req.body, check);
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

void add_route(Router& router, Method method, const std::string& pattern, const std::string& route_name,
               std::optional<Role> role, Handler handler, Lane lane) {
    router.add(Route{method, pattern, route_name, role, lane, std::move(handler), {}});
}

void add_route(Router& router, Method method, const std::string& pattern, const std::string& route_name,
               std::optional<Role> role, ApiContext& ctx, ContextHandler handler) {
    add_route(router, method, pattern, route_name, role,
              [&ctx, handler](auto& req, auto& res, auto&) { handler(ctx, req, res); });
}

void add_route(Router& router, Method method, const std::string& pattern, const std::string& route_name,
               std::optional<Role> role, ApiContext& ctx, PrincipalHandler handler) {
    add_route(router, method, pattern, route_name, role,
              [&ctx, handler](auto& req, auto& res, auto& who) { handler(ctx, req, res, who); });
}

void add_api_routes(Router& router, ApiContext& ctx) {
    add_jobs_routes(router, ctx);
    add_locks_routes(router, ctx);
    add_health_routes(router, ctx);
    add_event_routes(router, ctx);
    add_devices_routes(router, ctx);
    add_device_config_routes(router, ctx);
    add_device_cnaas_routes(router, ctx);
    add_device_restore_routes(router, ctx);
    add_synchistory_routes(router, ctx);
    add_repository_routes(router, ctx);
    add_syncto_routes(router, ctx);
    add_backup_routes(router, ctx);
    add_schedules_routes(router, ctx);
    add_job_types_routes(router, ctx);
    add_session_routes(router, ctx);
    add_dashboard_routes(router, ctx);
    add_host_key_routes(router, ctx);
}

}  // namespace switchyard::api
