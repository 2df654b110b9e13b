// A device's config history (devices/config_history.h), read-only:
//   GET /device/<hostname>/configs?page=&per_page=    newest first, X-Total-Count
//   GET /device/<hostname>/configs/<id>               one record and its config
//   GET /device/<hostname>/configs/<id>/diff?against=<id>|previous
// Configs and diffs leave with their secrets masked, like job results.
#include "defaults.h"
#include "device_paths.h"
#include "devices/config_compare.h"
#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_store.h"
#include "devices/secret_masker.h"
#include "http_route.h"

#include <limits>
#include <set>

namespace switchyard::api {
namespace {

using devices::ConfigHistory;
using devices::ConfigRecord;
using nlohmann::json;

constexpr long long kMaxPage = 10'000'000;

json record_json(const ConfigRecord& r) {
    return {{"id", r.id},
            {"hostname", r.hostname},
            {"recorded_at", r.recorded_at},
            {"job_id", r.job_id ? json(*r.job_id) : json(nullptr)},
            {"source", r.source},
            {"confhash", r.confhash},
            {"platform", r.platform ? json(devices::to_string(*r.platform)) : json(nullptr)}};
}

std::int64_t config_id(const std::string& text) {
    return parse_int(text, 1, std::numeric_limits<std::int64_t>::max(), "config id");
}

[[noreturn]] void config_not_found(pqxx::connection& conn, const std::string& host, std::int64_t id) {
    known_device(conn, host);  // says which is missing: the device or its config
    throw NotFound("config " + std::to_string(id) + " of device " + host + " not found");
}

ConfigRecord known_record(pqxx::connection& conn, const std::string& host, std::int64_t id) {
    auto r = ConfigHistory(conn).get(host, id);
    if (!r) config_not_found(conn, host, id);
    return *r;
}

// The text of a record (pruned since it was looked up: not found).
std::string known_text(pqxx::connection& conn, const std::string& host, std::int64_t id) {
    auto text = ConfigHistory(conn).config_text(host, id);
    if (!text) config_not_found(conn, host, id);
    return *text;
}

void list_configs(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto host = hostname_in_path(req);
    auto params = query_params(req, {"page", "per_page"});
    long long page = params.count("page") ? parse_int(params["page"], 1, kMaxPage, "page") : 1;
    long long per_page = params.count("per_page")
                             ? parse_int(params["per_page"], 1, defaults::kApiPerPageMax, "per_page")
                             : defaults::kApiPerPageDefault;
    long long offset = (page - 1) * per_page;
    json configs = json::array();
    auto total = ctx.pool.with([&](pqxx::connection& conn) {
        known_device(conn, host);
        ConfigHistory history(conn);
        auto n = history.count(host);
        // Past the end there is nothing to read (and the offset may not fit an int).
        if (offset < n)
            for (auto& r : history.list(host, static_cast<int>(per_page), static_cast<int>(offset)))
                configs.push_back(record_json(r));
        return n;
    });
    res.set_header("X-Total-Count", std::to_string(total));
    send_success(res, {{"configs", configs}});
}

void get_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto host = hostname_in_path(req);
    auto id = config_id(req.path_args[1]);
    query_params(req, {});
    auto out = ctx.pool.with([&](pqxx::connection& conn) {
        json r = record_json(known_record(conn, host, id));
        r["config"] = devices::safe_text(known_text(conn, host, id));
        return r;
    });
    send_success(res, out);
}

void diff_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto host = hostname_in_path(req);
    auto to_id = config_id(req.path_args[1]);
    auto params = query_params(req, {"against"});
    std::string against = params.count("against") ? params["against"] : "previous";
    std::optional<std::int64_t> against_id;
    if (against != "previous") against_id = config_id(against);
    auto out = ctx.pool.with([&](pqxx::connection& conn) {
        auto device = known_device(conn, host);
        ConfigHistory history(conn);
        auto to = known_record(conn, host, to_id);
        ConfigRecord from;
        if (against_id) {
            from = known_record(conn, host, *against_id);
        } else if (auto prev = history.previous(host, to_id)) {
            from = *prev;
        } else {
            throw NotFound("config " + std::to_string(to_id) + " of device " + host +
                           " has no previous config (no older record with another confhash)");
        }
        auto text = [&](const ConfigRecord& r) {
            return devices::comparable_config(device.platform, known_text(conn, host, r.id));
        };
        auto label = [&](const ConfigRecord& r) {
            return host + " config " + std::to_string(r.id) + " (" + r.recorded_at + ")";
        };
        std::string diff = devices::unified_diff(text(from), text(to), label(from), label(to));
        return json{{"from", from.id}, {"to", to.id}, {"diff", devices::safe_text(diff)}};
    });
    send_success(res, out);
}

}  // namespace

void add_device_config_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/device/{hostname}/configs", "GET /device/configs", Role::read, ctx,
              list_configs);
    add_route(router, Method::get, "/api/v1.0/device/{hostname}/configs/{id}", "GET /device/config", Role::read, ctx,
              get_config);
    add_route(router, Method::get, "/api/v1.0/device/{hostname}/configs/{id}/diff", "GET /device/config/diff",
              Role::read, ctx, diff_config);
}

}  // namespace switchyard::api
