// CNaaS-NMS's device config routes (src/cnaas_nms/api/device.py):
//   GET /device/<hostname>/generate_config   the config templates and settings
//       render for it, and the variables the template saw
//   GET /device/<hostname>/running_config    read from the device now
//   GET /device/<hostname>/previous_config?previous=N|job_id=J|before=T
//       a config a job left on the device (config history, source "pushed")
// Every config and variable leaves with its secrets masked.
#include "device_paths.h"
#include "devices/config_history.h"
#include "devices/device_connection.h"
#include "devices/secret_fields.h"
#include "devices/secret_masker.h"
#include "http_route.h"
#include "sync_access.h"
#include "templates/render.h"
#include "time_filter.h"

#include <limits>

namespace switchyard::api {
namespace {

using nlohmann::json;

void generate_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto host = hostname_in_path(req);
    query_params(req, {});
    auto device = ctx.pool.with([&](pqxx::connection& conn) { return known_device(conn, host); });
    auto env = make_sync_environment(ctx.settings, ctx.url);
    json variables;
    std::string config;
    try {
        // The templates and settings a sync scheduled now would render from.
        auto sources = env->render_sources();
        variables = templates::layered_settings(device, sources.settings_dir);
        config = templates::render_device_config(device, sources);
    } catch (const templates::TemplateError& e) {
        // The request is fine; the templates or settings cannot render this
        // device. CNaaS-NMS answers 500 with the message (device.py
        // DeviceGenerateConfigApi.get); 422 says whose fault it is.
        send_error(res, 422,
                   devices::safe_text(std::string("cannot generate the config of ") + host + ": " + e.what()));
        return;
    }
    // CNaaS-NMS adds the nornir host name as "host" (device.py:1040).
    variables["host"] = host;
    send_success(res, {{"config",
                        {{"hostname", host},
                         {"generated_config", devices::safe_text(config)},
                         {"available_variables", devices::mask_secret_fields(variables)}}}});
}

void running_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto host = hostname_in_path(req);
    auto params = query_params(req, {"interface"});
    if (params.count("interface"))
        throw BadRequest(
            "running_config?interface= is not supported here: read the whole config, or the device's "
            "config history (GET /device/" +
            host + "/configs)");
    auto device = ctx.pool.with([&](pqxx::connection& conn) { return known_device(conn, host); });
    auto env = make_sync_environment(ctx.settings, ctx.url);
    auto ssh = env->ssh_access();
    std::string config;
    // One device through the fan-out pool, whose deadline stops a device
    // that hangs. A client waits for this answer, so one attempt, within the
    // connect and command timeouts, rather than a job's retries.
    auto fanout = env->fanout_options();
    fanout.max_attempts = 1;
    fanout.deadline = std::min<std::chrono::milliseconds>(
        fanout.deadline,
        std::chrono::seconds(ctx.settings.ssh.connect_timeout_seconds + ctx.settings.ssh.command_timeout_seconds));
    devices::DeviceFanout pool(fanout);
    const auto outcome = pool.collect(1, [&](std::size_t, devices::DeviceContext& dc) {
        devices::DeviceConnection conn(device, env->credentials_for(device), ssh.options, dc.stop);
        config = conn.driver().running_config();
    })[0];
    if (!outcome.ok) {
        std::string why = outcome.timed_out ? "timed out" : outcome.error;
        // The device, not this service, failed the request: 502.
        send_error(res, 502, devices::safe_text("could not read the running config of " + host + ": " + why));
        return;
    }
    send_success(res, {{"config", devices::safe_text(config)}});
}

void previous_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto host = hostname_in_path(req);
    auto params = query_params(req, {"job_id", "previous", "before"});
    if (params.size() > 1) throw BadRequest("give one of job_id, previous or before");
    devices::ConfigHistory::PushedQuery q;
    if (params.count("job_id"))
        q.job_id = parse_int(params["job_id"], 1, std::numeric_limits<std::int64_t>::max(), "job_id");
    if (params.count("previous")) q.skip = parse_int(params["previous"], 0, 1'000'000, "previous");
    if (params.count("before")) {
        auto span = parse_time_span(params["before"]);
        if (!span) throw BadRequest("before must be an ISO 8601 date and time (2020-04-07T12:03:05)");
        q.before = span->start;
    }
    auto out = ctx.pool.with([&](pqxx::connection& conn) {
        known_device(conn, host);
        devices::ConfigHistory history(conn);
        auto r = history.pushed(host, q);
        if (!r) throw NotFound("no config pushed to " + host + " matches (config history keeps what jobs pushed)");
        auto text = history.config_text(host, r->id);
        if (!text) throw NotFound("no config pushed to " + host + " matches (config history keeps what jobs pushed)");
        // CNaaS-NMS's fields (db/job.py get_previous_config: job_id,
        // finish_time, config, failed); a pushed config is one whose device
        // did not fail. Ours beside them: the record's id, for apply_config.
        return json{{"job_id", r->job_id ? json(*r->job_id) : json(nullptr)},
                    {"finish_time", r->recorded_at},
                    {"config", devices::safe_text(*text)},
                    {"failed", false},
                    {"config_id", r->id},
                    {"confhash", r->confhash}};
    });
    send_success(res, out);
}

}  // namespace

void add_device_cnaas_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/device/{hostname}/generate_config", "GET /device/generate_config",
              Role::read, ctx, generate_config);
    add_route(router, Method::get, "/api/v1.0/device/{hostname}/running_config", "GET /device/running_config",
              Role::read, ctx, running_config);
    add_route(router, Method::get, "/api/v1.0/device/{hostname}/previous_config", "GET /device/previous_config",
              Role::read, ctx, previous_config);
}

}  // namespace switchyard::api
