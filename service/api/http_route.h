// What every API route uses: registration on the router, envelopes, the JSON
// body (bounded in depth, no NUL), errors as 4xx with a message (never a 500
// for bad input: throw BadRequest or NotFound).
#pragma once

#include "api_context.h"
#include "jobs_query.h"
#include "request_errors.h"
#include "router.h"

#include <nlohmann/json.hpp>

namespace switchyard::api {

// {"status":"success","data":...}
void send_success(HttpResponse& res, const nlohmann::json& data, int status = 200);
// {"status":"success","data":message,"job_id":...}, CNaaS-NMS's answer to a
// request that schedules a job, with `more` keys beside them.
void send_scheduled(HttpResponse& res, const std::string& message, std::int64_t job_id,
                    const nlohmann::json& more = nlohmann::json::object());
// {"status":"error","message":...}
void send_error(HttpResponse& res, int status, const std::string& message);
// Serialises JSON that may hold text from clients: invalid UTF-8 is replaced,
// never an exception.
std::string dump_json(const nlohmann::json& j);

// Deepest nesting of arrays and objects a request body may have: real bodies
// are two or three levels deep, and deeper ones would only cost recursion.
inline constexpr int kMaxJsonDepth = 32;

// The request body as a JSON object; BadRequest saying what is wrong (not
// JSON, nested deeper than kMaxJsonDepth, a NUL in a string).
nlohmann::json json_object_body(const HttpRequest& req);
// BadRequest naming any key of `body` not in `allowed`.
void reject_unknown_keys(const nlohmann::json& body, std::initializer_list<const char*> allowed);

// Registers `pattern` ("/api/v1.0/job/{id}") for `method`, needing `role`
// (nullopt: no token needed).
void add_route(Router& router, Method method, const std::string& pattern, const std::string& route_name,
               std::optional<Role> role, Handler handler, Lane lane = Lane::workers);

// Most handlers are functions of the service's context and the request, and
// of the caller when they act on its behalf: registered with `ctx` bound.
using ContextHandler = void (*)(ApiContext&, const HttpRequest&, HttpResponse&);
using PrincipalHandler = void (*)(ApiContext&, const HttpRequest&, HttpResponse&, const Principal&);
void add_route(Router& router, Method method, const std::string& pattern, const std::string& route_name,
               std::optional<Role> role, ApiContext& ctx, ContextHandler handler);
void add_route(Router& router, Method method, const std::string& pattern, const std::string& route_name,
               std::optional<Role> role, ApiContext& ctx, PrincipalHandler handler);

void add_jobs_routes(Router& router, ApiContext& ctx);
void add_locks_routes(Router& router, ApiContext& ctx);
void add_health_routes(Router& router, ApiContext& ctx);
void add_event_routes(Router& router, ApiContext& ctx);
void add_devices_routes(Router& router, ApiContext& ctx);
void add_device_config_routes(Router& router, ApiContext& ctx);
void add_device_cnaas_routes(Router& router, ApiContext& ctx);
void add_device_restore_routes(Router& router, ApiContext& ctx);
void add_synchistory_routes(Router& router, ApiContext& ctx);
void add_repository_routes(Router& router, ApiContext& ctx);
void add_syncto_routes(Router& router, ApiContext& ctx);
void add_backup_routes(Router& router, ApiContext& ctx);
void add_schedules_routes(Router& router, ApiContext& ctx);
void add_job_types_routes(Router& router, ApiContext& ctx);
void add_host_key_routes(Router& router, ApiContext& ctx);

void add_session_routes(Router& router, ApiContext& ctx);
void add_dashboard_routes(Router& router, ApiContext& ctx);

// Every route of the API on `router`.
void add_api_routes(Router& router, ApiContext& ctx);

}  // namespace switchyard::api
