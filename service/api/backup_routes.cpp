// POST /device_backup: schedule a backup_configs job (operator role), which
// reads the running config of the selected MANAGED devices into their config
// history (tasks/backup_configs.cpp). Selectors as device_syncto's:
// hostname | device_type | group | all: true; every MANAGED device selected,
// synchronized or not (no resync). comment and ticket_ref as device_syncto's.
// The job runs on the devices selected now (start_arguments "hostnames",
// beside the selector asked for); a schedule of backup_configs selects
// when each of its jobs runs.
#include "devices/device_selector.h"
#include "http_route.h"
#include "job_labels.h"
#include "request_selector.h"
#include "requested_job.h"

namespace switchyard::api {
namespace {

using nlohmann::json;

void backup(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    json body = json_object_body(req);
    reject_unknown_keys(body, {"hostname", "device_type", "group", "all", "comment", "ticket_ref"});
    devices::DeviceSelector selector = request_selector(body, false);
    selector.resync = true;  // synchronized or not
    auto labels = job_labels(body);

    std::size_t selected = 0;
    auto id = ctx.pool.with([&](pqxx::connection& conn) -> std::int64_t {
        auto selection = devices::select_devices(conn, selector);
        if (!selection.problem.empty()) throw BadRequest(selection.problem);
        selected = selection.devices.size();
        json args = json::object();
        write_selection(selector, selection, args);
        args.erase("resync");  // always: not the client's to choose
        return enqueue_requested_job(ctx, conn, "backup_configs", std::move(args), who, labels);
    });
    res.set_header("X-Total-Count", std::to_string(selected));
    send_scheduled(res, "Scheduled job to back up " + selector.describe(), id);
}

}  // namespace

void add_backup_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::post, "/api/v1.0/device_backup", "POST /device_backup", Role::operator_, ctx, backup);
}

}  // namespace switchyard::api
