// POST /device_syncto: schedule a sync_devices job (CNaaS-NMS's route).
// Selectors: hostname | device_type | group | all:true. Only MANAGED devices;
// without resync, devices already synchronized are skipped (a hostname is
// always synced). dry_run defaults to true: only JSON false makes a live run.
// idempotency_key: a retried request (a client that lost the answer, an
// Ansible task run again) gets the job the key first scheduled, not a second
// sync; the key names the request, whatever else the retry asks.
#include "devices/device_store.h"
#include "engine/job_store.h"
#include "http_route.h"
#include "job_labels.h"

namespace switchyard::api {
namespace {

using nlohmann::json;

bool flag(const json& body, const char* name, bool fallback) {
    if (!body.contains(name)) return fallback;
    if (!body[name].is_boolean()) throw BadRequest(std::string("field '") + name + "' must be true or false");
    return body[name].get<bool>();
}

std::string text(const json& body, const char* name) { return text_field(body, name, 1000); }

void syncto(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    json body = json_object_body(req);
    reject_unknown_keys(body, {"hostname", "device_type", "group", "all", "dry_run", "force", "resync", "auto_push",
                               "comment", "ticket_ref", "confirm_mode", "idempotency_key"});
    std::string hostname = text(body, "hostname"), device_type = text(body, "device_type"), group = text(body, "group");
    bool all = flag(body, "all", false);
    int selectors = !hostname.empty() + !device_type.empty() + !group.empty() + all;
    if (selectors != 1) throw BadRequest("give exactly one of hostname, device_type, group or all: true");
    // Only a JSON false turns the dry run off: "false" or 0 are refused, not guessed.
    bool dry_run = flag(body, "dry_run", true);
    bool force = flag(body, "force", false), resync = flag(body, "resync", false);
    bool auto_push = flag(body, "auto_push", false);
    if (auto_push && (!dry_run || hostname.empty()))
        throw BadRequest("auto_push needs a dry run of one hostname (its live run follows when the change score is low)");
    int confirm_mode = 0;
    if (body.contains("confirm_mode")) {
        constexpr const char* modes = "confirm_mode must be 0 (commit), 1 (commit, confirm once the device answers again) "
                                      "or 2 (commit with a timer on all devices, then a confirm_devices job)";
        if (!body["confirm_mode"].is_number_integer()) throw BadRequest(modes);
        auto m = body["confirm_mode"].get<std::int64_t>();
        if (m < 0 || m > 2) throw BadRequest(modes);
        confirm_mode = static_cast<int>(m);
    }
    auto labels = job_labels(body);
    std::string key = text(body, "idempotency_key");
    if (key.size() > 200) throw BadRequest("field 'idempotency_key' is longer than 200 characters");
    if (!device_type.empty() && !devices::device_type_from_string(device_type))
        throw BadRequest("unknown device_type '" + device_type + "' (ACCESS, DIST, CORE, UNKNOWN)");

    std::vector<std::string> selected;
    std::string what;
    auto job = ctx.pool.with([&](pqxx::connection& conn) -> std::optional<engine::EnqueueResult> {
        if (!key.empty()) {
            pqxx::read_transaction tx(conn);
            if (auto earlier = engine::find_job_by_key(tx, key)) return engine::EnqueueResult{*earlier, true};
        }
        devices::DeviceStore store(conn);
        if (!hostname.empty()) {
            auto d = store.get(hostname);
            if (!d) throw BadRequest("device " + hostname + " is not in the inventory");
            if (d->state != devices::DeviceState::MANAGED)
                throw BadRequest("device " + hostname + " is not MANAGED (state " + std::string(devices::to_string(d->state)) + ")");
            selected.push_back(hostname);
            what = "device " + hostname;
        } else {
            for (auto& d : store.list()) {
                if (d.state != devices::DeviceState::MANAGED) continue;
                if (!resync && d.synchronized) continue;
                bool in = all;
                if (!device_type.empty()) in = d.device_type == *devices::device_type_from_string(device_type);
                if (!group.empty()) in = std::find(d.groups.begin(), d.groups.end(), group) != d.groups.end();
                if (in) selected.push_back(d.hostname);
            }
            what = all ? "all devices" : !device_type.empty() ? "devices of type " + device_type : "devices in group " + group;
        }
        if (selected.empty()) return std::nullopt;
        engine::EnqueueRequest r;
        r.function_name = dry_run ? "sync_devices (dry_run)" : "sync_devices";
        r.args = {{"hostnames", selected}, {"dry_run", dry_run}, {"force", force}, {"resync", resync},
                  {"auto_push", auto_push}, {"confirm_mode", confirm_mode}};
        // The selector as it was asked for, as CNaaS-NMS keeps it in
        // start_arguments (api/device.py DeviceSyncApi.post: device_type or
        // group; "hostnames" is our resolved list, CNaaS-NMS's for one host).
        if (!device_type.empty())
            r.args["device_type"] = std::string(devices::to_string(*devices::device_type_from_string(device_type)));
        if (!group.empty()) r.args["group"] = group;
        if (all) r.args["all"] = true;
        r.scheduled_by = who.subject;
        r.comment = labels.comment;
        r.ticket_ref = labels.ticket_ref;
        r.idempotency_key = key;
        pqxx::work tx(conn);
        auto out = engine::enqueue(tx, ctx.registry, ctx.settings, r);
        tx.commit();
        return out;
    });
    if (!job) throw BadRequest("no devices to synchronize: " + what + " selects no MANAGED device" +
                               (resync ? "" : " that is unsynchronized (use resync: true to sync them anyway)"));
    res.status = 200;
    if (job->existing) {
        res.set_content(dump_json({{"status", "success"},
                                   {"data", "Job " + std::to_string(job->id) + " holds this idempotency key already"},
                                   {"job_id", job->id},
                                   {"existing", true}}),
                        "application/json");
        return;
    }
    res.set_header("X-Total-Count", std::to_string(selected.size()));
    res.set_content(dump_json({{"status", "success"},
                               {"data", "Scheduled job to synchronize " + what},
                               {"job_id", job->id},
                               {"existing", false}}),
                    "application/json");
}

}  // namespace

void add_syncto_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::post, "/api/v1.0/device_syncto", "POST /device_syncto", Role::operator_,
              [&ctx](auto& req, auto& res, auto& who) { syncto(ctx, req, res, who); });
}

}  // namespace switchyard::api
