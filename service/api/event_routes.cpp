// GET /events: Server-Sent Events of job and lock changes, fed from the
// engine's NOTIFY. `?job_id=N` keeps only that job's events.
#include "defaults.h"
#include "http_route.h"

namespace switchyard::api {

using nlohmann::json;

namespace {

// The events of one job out of a {"jobs":[...]} payload; empty when none.
std::string only_job(const std::string& payload, std::int64_t id) {
    auto doc = json::parse(payload, nullptr, false);
    if (doc.is_discarded() || !doc.contains("jobs")) return "";
    json kept = json::array();
    for (auto& e : doc["jobs"])
        if (e.value("id", std::int64_t{0}) == id) kept.push_back(e);
    return kept.empty() ? "" : dump_json({{"jobs", kept}});
}

}  // namespace

void add_event_routes(httplib::Server& server, ApiContext& ctx) {
    add_route(server, ctx, Method::get, "/api/v1.0/events", "GET /events", Role::read,
              [&ctx](const httplib::Request& req, httplib::Response& res, const Principal&) {
                  std::optional<std::int64_t> job;
                  for (auto& [k, v] : req.params) {
                      if (k != "job_id") throw BadRequest("unknown query parameter '" + k + "' (only job_id)");
                      job = parse_int(v, 1, INT64_MAX, "job_id");
                  }
                  if (ctx.events.subscribers() >= static_cast<std::size_t>(ctx.settings.api.max_event_streams)) {
                      send_error(res, 503, "too many event streams open; try again later");
                      return;
                  }
                  auto sub = ctx.events.subscribe();
                  res.set_header("Cache-Control", "no-cache");
                  res.set_chunked_content_provider(
                      "text/event-stream",
                      [&ctx, sub, job](std::size_t offset, httplib::DataSink& sink) {
                          if (!ctx.events.running()) return false;
                          if (offset == 0) {
                              // Tells the client it is subscribed: state read
                              // after this cannot miss a change.
                              static const std::string hello = ": subscribed\n\n";
                              return sink.write(hello.data(), hello.size());
                          }
                          // Wait in short steps so a client that left is
                          // noticed (and its slot freed) within a second.
                          std::optional<Event> e;
                          for (int waited = 0; !e && waited < defaults::kEventKeepaliveSeconds; ++waited) {
                              e = sub->next(std::chrono::seconds(1));
                              if (!e && (!sink.is_writable() || !ctx.events.running())) return false;
                          }
                          std::string chunk;
                          if (!e) chunk = ": keepalive\n\n";
                          else if (job && e->kind == "jobs") {
                              auto kept = only_job(e->payload, *job);
                              if (kept.empty()) return true;
                              chunk = "event: jobs\ndata: " + kept + "\n\n";
                          } else if (job) {
                              return true;
                          } else {
                              chunk = "event: " + e->kind + "\ndata: " + e->payload + "\n\n";
                          }
                          return sink.write(chunk.data(), chunk.size());
                      },
                      [&ctx, sub](bool) { ctx.events.unsubscribe(sub); });
              });
}

}  // namespace switchyard::api
