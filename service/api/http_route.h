// Route plumbing shared by every API route: authentication and roles,
// envelopes, errors as 4xx with a message (never a 500 for bad input),
// request metrics.
#pragma once

#include "api_context.h"
#include "jobs_query.h"

#include <functional>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace switchyard::api {

class NotFound : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// {"status":"success","data":...}
void send_success(httplib::Response& res, const nlohmann::json& data, int status = 200);
// {"status":"error","message":...}
void send_error(httplib::Response& res, int status, const std::string& message);
// Serialises JSON that may hold text from clients: invalid UTF-8 is replaced,
// never an exception.
std::string dump_json(const nlohmann::json& j);

// The request body as a JSON object; BadRequest saying what is wrong.
nlohmann::json json_object_body(const httplib::Request& req);
// BadRequest naming any key of `body` not in `allowed`.
void reject_unknown_keys(const nlohmann::json& body, std::initializer_list<const char*> allowed);

using Handler = std::function<void(const httplib::Request&, httplib::Response&, const Principal&)>;

enum class Method { get, put, post, del };

// Registers `pattern` for `method`, needing `role` (nullopt: no token needed).
void add_route(httplib::Server& server, ApiContext& ctx, Method method, const std::string& pattern,
               const std::string& route_name, std::optional<Role> role, Handler handler);

void add_jobs_routes(httplib::Server& server, ApiContext& ctx);
void add_locks_routes(httplib::Server& server, ApiContext& ctx);
void add_health_routes(httplib::Server& server, ApiContext& ctx);
void add_event_routes(httplib::Server& server, ApiContext& ctx);
void add_devices_routes(httplib::Server& server, ApiContext& ctx);
void add_device_config_routes(httplib::Server& server, ApiContext& ctx);
void add_syncto_routes(httplib::Server& server, ApiContext& ctx);

}  // namespace switchyard::api
