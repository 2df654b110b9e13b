// POST /device_syncto: schedule a sync_devices job (CNaaS-NMS's route).
// Selectors: hostname | device_type | group | all:true. Only MANAGED devices;
// without resync, devices already synchronized are skipped (a hostname is
// always synced). dry_run defaults to true: only JSON false makes a live run.
// idempotency_key (or the Idempotency-Key header, its equivalent): a retried
// request (a client that lost the answer, an Ansible task run again) gets the
// job the key first scheduled, not a second sync; the key names the request,
// whatever else the retry asks.
// scheduled_time (ISO 8601 with an offset) or delay_seconds: when the job may
// start; priority: 1 (first) to 10 (last). confirm_mode: when not named,
// sync.default_confirm_mode; confirm_all_or_nothing only with mode 2 (both
// checked by sync_devices' check_arguments, as every enqueue is).
#include "devices/device_selector.h"
#include "engine/job_store.h"
#include "http_route.h"
#include "job_labels.h"
#include "repositories.h"
#include "request_selector.h"

#include <date/date.h>

#include <sstream>

namespace switchyard::api {
namespace {

using nlohmann::json;

bool flag(const json& body, const char* name, bool fallback) {
    if (!body.contains(name)) return fallback;
    if (!body[name].is_boolean()) throw BadRequest(std::string("field '") + name + "' must be true or false");
    return body[name].get<bool>();
}

std::string text(const json& body, const char* name) { return text_field(body, name, 1000); }

// "2026-11-23T02:00:00Z", "2026-11-23T03:00:00.5+01:00": a time with its
// offset (a time without one names no instant). A time past runs now; one
// more than 366 days ahead is refused. Both are settled here, in
// microseconds (which hold any year parse reads), before the time becomes a
// system_clock time: that counts nanoseconds since 1970 and holds only
// 1677-2262, so year 2300 wrapped around into the past and ran at once.
std::chrono::system_clock::time_point iso8601_field(const json& body, const char* name) {
    using std::chrono::microseconds;
    std::string text = body[name].is_string() ? body[name].get<std::string>() : "";
    if (text.size() <= 64)
        for (const char* format : {"%FT%TZ", "%FT%T%Ez", "%FT%T%z", "%F %TZ", "%F %T%Ez"}) {
            std::istringstream in(text);
            date::sys_time<microseconds> t;
            in >> date::parse(format, t);
            if (!in || in.peek() != std::char_traits<char>::eof()) continue;
            auto now = date::floor<microseconds>(std::chrono::system_clock::now());
            if (t - now > date::days(366))
                throw BadRequest(std::string("field '") + name + "' is more than 366 days ahead");
            return std::max(t, now);
        }
    throw BadRequest(
        std::string("field '") + name +
        "' must be an ISO 8601 time with its offset, e.g. 2026-11-23T02:00:00Z or 2026-11-23T03:00:00+01:00");
}

void syncto(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    json body = json_object_body(req);
    reject_unknown_keys(body, {"hostname", "device_type", "group", "all", "dry_run", "force", "resync", "auto_push",
                               "comment", "ticket_ref", "confirm_mode", "confirm_all_or_nothing", "idempotency_key",
                               "scheduled_time", "delay_seconds", "priority", "rollout"});
    devices::DeviceSelector selector = request_selector(body, true);
    // Only a JSON false turns the dry run off: "false" or 0 are refused, not guessed.
    bool dry_run = flag(body, "dry_run", true);
    bool force = flag(body, "force", false);
    bool auto_push = flag(body, "auto_push", false);
    if (auto_push && (!dry_run || selector.hostnames.empty()))
        throw BadRequest(
            "auto_push needs a dry run of one hostname (its live run follows when the change score is low)");
    auto labels = job_labels(body);
    std::string key = text(body, "idempotency_key");
    if (const std::string& header = req.header("Idempotency-Key"); !header.empty()) {
        require_utf8(header, "the Idempotency-Key header");
        if (!key.empty() && key != header)
            throw BadRequest("the Idempotency-Key header and field 'idempotency_key' differ; give one");
        key = header;
    }
    if (key.size() > 200) throw BadRequest("the idempotency key is longer than 200 characters");
    if (body.contains("scheduled_time") && body.contains("delay_seconds"))
        throw BadRequest("give scheduled_time or delay_seconds, not both");
    std::optional<std::chrono::system_clock::time_point> run_at;
    if (body.contains("scheduled_time")) run_at = iso8601_field(body, "scheduled_time");
    double delay_seconds = 0;
    if (body.contains("delay_seconds")) {
        if (!body["delay_seconds"].is_number() || !(body["delay_seconds"].get<double>() >= 0) ||
            body["delay_seconds"].get<double>() > 366.0 * 86400)
            throw BadRequest("field 'delay_seconds' must be a number of seconds from 0 to 366 days");
        delay_seconds = body["delay_seconds"];
    }
    int priority = 0;
    if (body.contains("priority")) {
        if (!body["priority"].is_number_integer() || body["priority"].get<std::int64_t>() < 1 ||
            body["priority"].get<std::int64_t>() > 10)
            throw BadRequest("field 'priority' must be 1 (runs first) to 10 (last)");
        priority = body["priority"];
    }

    json args = {{"dry_run", dry_run}, {"force", force}, {"auto_push", auto_push}};
    // Checked by the job kind (as at every enqueue), here before any device
    // is selected: a request that cannot run says why first. A confirm_mode
    // not named is sync.default_confirm_mode, written into the job's
    // arguments so that the job shows the mode it runs with.
    for (const char* passed : {"confirm_mode", "confirm_all_or_nothing", "rollout"})
        if (body.contains(passed)) args[passed] = body[passed];
    try {
        json checked = args;
        devices::selector_to_json(selector, checked);
        engine::check_job_arguments(ctx.registry, "sync_devices", checked);
    } catch (const std::invalid_argument& e) {
        throw BadRequest(e.what());
    }

    std::size_t selected = 0;
    auto job = ctx.pool.with([&](pqxx::connection& conn) -> engine::EnqueueResult {
        if (!key.empty()) {
            pqxx::read_transaction tx(conn);
            if (auto earlier = engine::find_job_by_key(tx, key)) return engine::EnqueueResult{*earlier, true};
        }
        // One selection, by the selector the job loads its devices with.
        auto selection = devices::select_devices(conn, selector);
        if (!selection.problem.empty()) throw BadRequest(selection.problem);
        selected = selection.devices.size();
        engine::EnqueueRequest r;
        r.function_name = "sync_devices";  // shown as "sync_devices (dry_run)" for a dry run
        r.args = args;
        write_selection(selector, selection, r.args);
        r.scheduled_by = who.subject;
        r.comment = labels.comment;
        r.ticket_ref = labels.ticket_ref;
        r.idempotency_key = key;
        r.run_at = run_at;
        r.delay_seconds = delay_seconds;
        r.priority = priority;
        pqxx::work tx(conn);
        // The template and settings commits it renders from, whatever a
        // refresh makes current while it waits or runs (repositories.h).
        if (auto commits = current_commits(tx, ctx.settings); !commits.empty()) r.args["repository_commits"] = commits;
        try {
            auto out = engine::enqueue(tx, ctx.registry, ctx.settings, r);
            tx.commit();
            return out;
        } catch (const std::invalid_argument& e) {
            throw BadRequest(e.what());
        }
    });
    if (job.existing) {
        send_scheduled(res, "Job " + std::to_string(job.id) + " holds this idempotency key already", job.id,
                       {{"existing", true}});
        return;
    }
    res.set_header("X-Total-Count", std::to_string(selected));
    send_scheduled(res, "Scheduled job to synchronize " + selector.describe(), job.id, {{"existing", false}});
}

}  // namespace

void add_syncto_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::post, "/api/v1.0/device_syncto", "POST /device_syncto", Role::operator_, ctx, syncto);
}

}  // namespace switchyard::api
