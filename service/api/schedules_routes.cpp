// Schedules (periodic jobs): GET /schedules and GET /schedule/<id> (read),
// POST /schedules, PUT /schedule/<id> and DELETE /schedule/<id> (admin).
// A schedule: name, function_name, arguments, cron + time_zone or
// interval_seconds, enabled, missed ("run_once" | "skip"), priority, comment.
#include "engine/schedule_store.h"
#include "http_route.h"
#include "job_labels.h"

namespace switchyard::api {
namespace {

using engine::ScheduleDefinition;
using nlohmann::json;

std::int64_t schedule_id(const std::string& text) { return parse_int(text, 1, INT64_MAX, "the schedule id"); }

// The fields of `body` onto `s`; `creating` requires name, function_name and a timing.
void apply(const json& body, ScheduleDefinition& s, bool creating) {
    reject_unknown_keys(body, {"name", "function_name", "arguments", "cron", "time_zone", "interval_seconds", "enabled",
                               "missed", "priority", "comment"});
    if (creating)
        for (const char* required : {"name", "function_name"})
            if (!body.contains(required)) throw BadRequest(std::string("field '") + required + "' is required");
    if (body.contains("name")) s.name = text_field(body, "name", 200);
    if (body.contains("function_name")) s.function_name = text_field(body, "function_name", 200);
    if (body.contains("arguments")) {
        if (!body["arguments"].is_object()) throw BadRequest("field 'arguments' must be a JSON object");
        s.arguments = body["arguments"];
    }
    // Setting one timing replaces the other.
    bool has_cron = body.contains("cron") && !body["cron"].is_null();
    bool has_interval = body.contains("interval_seconds") && !body["interval_seconds"].is_null();
    if (has_cron && has_interval) throw BadRequest("give either cron or interval_seconds, not both");
    if (body.contains("cron")) s.cron.reset();
    if (body.contains("interval_seconds")) s.interval_seconds.reset();
    if (has_cron) {
        s.cron = text_field(body, "cron", 200);
        s.interval_seconds.reset();
    }
    if (has_interval) {
        if (!body["interval_seconds"].is_number_integer())
            throw BadRequest("field 'interval_seconds' must be a whole number of seconds");
        s.interval_seconds =
            static_cast<int>(parse_int(body["interval_seconds"].dump(), 1, 366 * 86400, "interval_seconds"));
        s.cron.reset();
        s.time_zone = "UTC";
    }
    if (body.contains("time_zone")) s.time_zone = text_field(body, "time_zone", 100);
    if (body.contains("enabled")) {
        if (!body["enabled"].is_boolean()) throw BadRequest("field 'enabled' must be true or false");
        s.enabled = body["enabled"];
    }
    if (body.contains("missed")) {
        auto m = body["missed"].is_string() ? engine::missed_ticks_from_string(body["missed"].get<std::string>())
                                            : std::nullopt;
        if (!m) throw BadRequest("field 'missed' must be \"run_once\" or \"skip\"");
        s.missed = *m;
    }
    if (body.contains("priority")) {
        if (body["priority"].is_null()) s.priority.reset();
        else if (!body["priority"].is_number_integer())
            throw BadRequest("field 'priority' must be 1 (first) to 10 (last)");
        else s.priority = static_cast<int>(parse_int(body["priority"].dump(), 1, 10, "priority"));
    }
    if (body.contains("comment")) s.comment = text_field(body, "comment", 1000);  // null: none
}

// std::invalid_argument from the store is the client's mistake.
template <typename Body>
auto in_transaction(ApiContext& ctx, Body body) {
    return ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        try {
            auto out = body(tx);
            tx.commit();
            return out;
        } catch (const std::invalid_argument& e) {
            throw BadRequest(e.what());
        }
    });
}

json read_schedule(ApiContext& ctx, std::int64_t id) {
    auto s = ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        return engine::get_schedule(tx, id);
    });
    if (!s) throw NotFound("schedule " + std::to_string(id) + " not found");
    return *s;
}

void no_query(const HttpRequest& req) {
    if (!req.params.empty()) throw BadRequest("unknown query parameter '" + req.params.begin()->first + "'");
}

}  // namespace

void add_schedules_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/schedules", "GET /schedules", Role::read,
              [&ctx](auto& req, auto& res, auto&) {
                  no_query(req);
                  auto list = ctx.pool.with([&](pqxx::connection& conn) {
                      pqxx::read_transaction tx(conn);
                      return engine::list_schedules(tx);
                  });
                  res.set_header("X-Total-Count", std::to_string(list.size()));
                  send_success(res, {{"schedules", list}});
              });
    add_route(router, Method::post, "/api/v1.0/schedules", "POST /schedules", Role::admin,
              [&ctx](auto& req, auto& res, auto& who) {
                  no_query(req);
                  ScheduleDefinition s;
                  apply(json_object_body(req), s, true);
                  auto id = in_transaction(ctx, [&](pqxx::work& tx) {
                      return engine::create_schedule(tx, ctx.registry, ctx.settings, s, who.subject);
                  });
                  if (!id) {
                      send_error(res, 409, "a schedule called '" + s.name + "' exists already");
                      return;
                  }
                  send_success(res, {{"schedules", json::array({read_schedule(ctx, *id)})}}, 201);
              });
    add_route(router, Method::get, "/api/v1.0/schedule/{id}", "GET /schedule", Role::read,
              [&ctx](auto& req, auto& res, auto&) {
                  no_query(req);
                  send_success(res, {{"schedules", json::array({read_schedule(ctx, schedule_id(req.path_args[0]))})}});
              });
    add_route(router, Method::put, "/api/v1.0/schedule/{id}", "PUT /schedule", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  no_query(req);
                  auto id = schedule_id(req.path_args[0]);
                  json body = json_object_body(req);
                  ScheduleDefinition scratch;
                  apply(body, scratch, false);  // a malformed body is refused before the database is asked
                  bool found = in_transaction(ctx, [&](pqxx::work& tx) {
                      return engine::update_schedule(tx, ctx.registry, ctx.settings, id,
                                                     [&](ScheduleDefinition& s) { apply(body, s, false); });
                  });
                  if (!found) throw NotFound("schedule " + std::to_string(id) + " not found");
                  send_success(res, {{"schedules", json::array({read_schedule(ctx, id)})}});
              });
    add_route(router, Method::del, "/api/v1.0/schedule/{id}", "DELETE /schedule", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  no_query(req);
                  auto id = schedule_id(req.path_args[0]);
                  bool found = in_transaction(ctx, [&](pqxx::work& tx) { return engine::delete_schedule(tx, id); });
                  if (!found) throw NotFound("schedule " + std::to_string(id) + " not found");
                  send_success(res, {{"id", id}, {"status", "deleted"}});
              });
}

}  // namespace switchyard::api
