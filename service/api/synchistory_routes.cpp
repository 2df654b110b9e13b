// CNaaS-NMS's sync history (src/cnaas_nms/api/device.py DeviceSyncHistoryApi,
// docs/apiref/syncto.rst "Sync history"):
//   GET  /device_synchistory[?hostname=H]   {"hostnames": {H: [{"cause", "timestamp", "by", "job_id"}]}}
//   POST /device_synchistory {"hostname", "cause", "by", "timestamp"|"time"}   adds an event by hand
// Events are kept until the device is synchronized again (devices/sync_history.h).
#include "devices/inventory.h"
#include "devices/sync_history.h"
#include "http_route.h"
#include "job_labels.h"

#include <cmath>
#include <set>

namespace switchyard::api {
namespace {

using nlohmann::json;

json event_json(const devices::SyncEvent& e) {
    return {{"cause", e.cause},
            {"timestamp", e.timestamp},
            {"by", e.by},
            {"job_id", e.job_id ? json(*e.job_id) : json(nullptr)}};
}

void list_events(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    std::optional<std::string> host;
    std::set<std::string> seen;
    for (auto& [key, value] : req.params) {
        require_utf8(key, "query parameter name");
        if (key != "hostname") throw BadRequest("unknown query parameter '" + key + "' (only hostname)");
        if (!seen.insert(key).second) throw BadRequest("query parameter 'hostname' given more than once");
        require_utf8(value, "hostname");
        if (auto err = devices::hostname_error(value); !err.empty()) throw BadRequest("hostname: " + err);
        host = value;
    }
    json hostnames = json::object();
    ctx.pool.with([&](pqxx::connection& conn) {
        for (auto& e : devices::SyncHistory(conn).list(host)) {
            auto& list = hostnames[e.hostname];
            if (list.is_null()) list = json::array();
            list.push_back(event_json(e));
        }
        return 0;
    });
    send_success(res, {{"hostnames", hostnames}});
}

void add_event(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    json body = json_object_body(req);
    // "timestamp" is CNaaS-NMS's field (sync_history.py NewSyncEventModel);
    // its documentation calls it "time".
    reject_unknown_keys(body, {"hostname", "cause", "by", "timestamp", "time"});
    devices::SyncEvent e;
    e.hostname = text_field(body, "hostname", 255);
    if (e.hostname.empty()) throw BadRequest("field 'hostname' is required");
    if (auto err = devices::hostname_error(e.hostname); !err.empty()) throw BadRequest("hostname: " + err);
    e.cause = text_field(body, "cause", 255);
    if (e.cause.empty()) throw BadRequest("field 'cause' is required (a short text: oob, maintenance, ...)");
    e.by = text_field(body, "by", 255);
    if (e.by.empty()) e.by = who.subject;
    for (const char* name : {"timestamp", "time"}) {
        if (!body.contains(name) || body[name].is_null()) continue;
        if (!body[name].is_number() || !std::isfinite(body[name].get<double>()) || body[name].get<double>() <= 0 ||
            body[name].get<double>() > 32503680000.0)  // year 3000
            throw BadRequest(std::string("field '") + name + "' must be seconds since the epoch (a positive number)");
        e.timestamp = body[name].get<double>();
    }
    bool added = ctx.pool.with([&](pqxx::connection& conn) { return devices::SyncHistory(conn).add(e); });
    // CNaaS-NMS answers 400 for an unknown device here (device.py:1302).
    if (!added) throw BadRequest("device " + e.hostname + " is not in the inventory");
    json out = {{"hostname", e.hostname}, {"cause", e.cause}, {"by", e.by}};
    out["timestamp"] = e.timestamp > 0 ? json(e.timestamp) : json(nullptr);
    send_success(res, out);
}

}  // namespace

void add_synchistory_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/device_synchistory", "GET /device_synchistory", Role::read, ctx,
              list_events);
    add_route(router, Method::post, "/api/v1.0/device_synchistory", "POST /device_synchistory", Role::operator_, ctx,
              add_event);
}

}  // namespace switchyard::api
