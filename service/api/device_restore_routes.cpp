// Restoring a device's config from its config history, as an apply_config
// job (tasks/apply_config.cpp: a sync whose intended config is the record):
//   POST /device/<hostname>/apply_config {"config_id", "dry_run", "force",
//        "confirm_mode", "comment", "ticket_ref"}
//   POST /device/<hostname>/previous_config {"job_id" | "previous" | "before",
//        "dry_run", ...}: CNaaS-NMS's restore, of the record GET
//        previous_config picks (a config a job left on the device)
// Role operator, as device_syncto. dry_run defaults to true: only JSON false
// makes a live run. Only a MANAGED device (as a sync). CNaaS-NMS's
// apply_config pushes the "full_config" text a client sends; ours restores
// a record only, so what reaches a device is a config it ran before.
// Refused before a job exists: an unknown device or record (404), a record
// that cannot be restored to the device (devices/config_restore.h: not the
// text it ran, or made while it was another platform) (400).
#include "device_paths.h"
#include "devices/config_history.h"
#include "devices/config_restore.h"
#include "devices/device_selector.h"
#include "engine/job_store.h"
#include "http_route.h"
#include "job_labels.h"
#include "requested_job.h"
#include "time_filter.h"

#include <limits>

namespace switchyard::api {
namespace {

using nlohmann::json;

// The options both routes pass on to the job, as apply_config reads them.
constexpr const char* kJobOptions[] = {"dry_run", "force", "confirm_mode"};

std::int64_t positive_integer(const json& body, const char* name, std::int64_t max) {
    const auto& v = body[name];
    bool ok = v.is_number_integer() &&
              (v.is_number_unsigned()
                   ? v.get<std::uint64_t>() >= 1 && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                   : v.get<std::int64_t>() >= 1);
    if (!ok) throw BadRequest(std::string("field '") + name + "' must be an integer from 1 to " + std::to_string(max));
    return v.get<std::int64_t>();
}

// The record to restore, picked in `conn`; NotFound when there is none.
using PickRecord = std::function<devices::ConfigRecord(pqxx::connection& conn)>;

// Schedules apply_config of `host` to the record `pick` finds; answers as
// CNaaS-NMS does ({"data": "Scheduled job to ...", "job_id"}), and the
// record's id beside it.
void schedule_restore(ApiContext& ctx, const std::string& host, const json& body, const PickRecord& pick,
                      const std::string& scheduled, HttpResponse& res, const Principal& who) {
    auto labels = job_labels(body);
    json args = {{"hostname", host}};
    for (const char* passed : kJobOptions)
        if (body.contains(passed)) args[passed] = body[passed];
    // Checked by the job kind (as at every enqueue), here before the
    // database: a request that cannot run says why first (with a
    // placeholder record id: the record is looked up next).
    try {
        json checked = args;
        checked["config_id"] = 1;
        engine::check_job_arguments(ctx.registry, "apply_config", checked);
    } catch (const std::invalid_argument& e) {
        throw BadRequest(e.what());
    }

    std::int64_t config_id = 0;
    auto job = ctx.pool.with([&](pqxx::connection& conn) -> std::int64_t {
        auto device = known_device(conn, host);
        // The rule a sync loads its devices by: MANAGED only.
        auto selection = devices::select_devices(conn, devices::DeviceSelector{.hostnames = {host}});
        if (!selection.problem.empty()) throw BadRequest(selection.problem);
        auto record = pick(conn);
        config_id = record.id;
        auto source = devices::restore_source(conn, host, record.id, device.platform,
                                              "config " + std::to_string(record.id) + " (field 'config_id')");
        if (!source.found) throw NotFound("config " + std::to_string(record.id) + " of device " + host + " not found");
        if (!source.refused.empty()) throw BadRequest(source.refused);
        args["config_id"] = record.id;
        return enqueue_requested_job(ctx, conn, "apply_config", args, who, labels);
    });
    send_scheduled(res, "Scheduled job to " + scheduled + " " + host, job, {{"config_id", config_id}});
}

void apply_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    auto host = hostname_in_path(req);
    json body = json_object_body(req);
    if (body.contains("full_config"))
        throw BadRequest(
            "field 'full_config' is not supported: apply_config restores a record of the device's "
            "config history; give its id as 'config_id' (GET /device/" +
            host + "/configs lists them)");
    reject_unknown_keys(body, {"config_id", "dry_run", "force", "confirm_mode", "comment", "ticket_ref"});
    if (!body.contains("config_id"))
        throw BadRequest(
            "field 'config_id' is missing: the id of a record of the device's config history (GET /device/" + host +
            "/configs lists them)");
    auto id = positive_integer(body, "config_id", std::numeric_limits<std::int64_t>::max());
    schedule_restore(
        ctx, host, body,
        [&](pqxx::connection& conn) {
            auto r = devices::ConfigHistory(conn).get(host, id);
            if (!r)
                throw NotFound("config " + std::to_string(id) + " (field 'config_id') is not a record of device " +
                               host + "'s config history (GET /device/" + host + "/configs lists them)");
            return *r;
        },
        "apply config", res, who);
}

// CNaaS-NMS's POST previous_config: the record picked as GET previous_config
// picks it (device_cnaas_routes.cpp).
void restore_previous_config(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    auto host = hostname_in_path(req);
    json body = json_object_body(req);
    reject_unknown_keys(body,
                        {"job_id", "previous", "before", "dry_run", "force", "confirm_mode", "comment", "ticket_ref"});
    int given = body.contains("job_id") + body.contains("previous") + body.contains("before");
    if (given != 1) throw BadRequest("give one of job_id, previous or before: which pushed config to restore");
    devices::ConfigHistory::PushedQuery q;
    if (body.contains("job_id")) q.job_id = positive_integer(body, "job_id", std::numeric_limits<std::int64_t>::max());
    if (body.contains("previous")) {
        const auto& v = body["previous"];
        if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0) ||
            (v.is_number_unsigned() && v.get<std::uint64_t>() > 1'000'000))
            throw BadRequest("field 'previous' must be an integer from 0 (the newest pushed config) to 1000000");
        q.skip = v.get<std::int64_t>();
    }
    if (body.contains("before")) {
        auto span = body["before"].is_string() ? parse_time_span(body["before"].get<std::string>()) : std::nullopt;
        if (!span) throw BadRequest("field 'before' must be an ISO 8601 date and time (2020-04-07T12:03:05)");
        q.before = span->start;
    }
    schedule_restore(
        ctx, host, body,
        [&](pqxx::connection& conn) {
            auto r = devices::ConfigHistory(conn).pushed(host, q);
            if (!r) throw NotFound("no config pushed to " + host + " matches (config history keeps what jobs pushed)");
            return *r;
        },
        "restore", res, who);
}

}  // namespace

void add_device_restore_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::post, "/api/v1.0/device/{hostname}/apply_config", "POST /device/apply_config",
              Role::operator_, ctx, apply_config);
    add_route(router, Method::post, "/api/v1.0/device/{hostname}/previous_config", "POST /device/previous_config",
              Role::operator_, ctx, restore_previous_config);
}

}  // namespace switchyard::api
