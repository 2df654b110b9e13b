// GET /events: Server-Sent Events of job and lock changes, fed from the
// engine's NOTIFY. `?job_id=N` keeps only that job's events.
//
// A stream ends (after an `event: end` naming the reason, when the client can
// still read it) when the token it was opened with expires, when the server
// stops, and at once when its client falls so far behind that its buffer in
// the hub overflows (api.event_buffer_bytes).
#include "defaults.h"
#include "http_route.h"

#include <spdlog/spdlog.h>

namespace switchyard::api {

using nlohmann::json;

namespace {

// Sent per pull at most: a burst goes out in writes of this size.
constexpr std::size_t kMaxPullBytes = 64 * 1024;

// The events of one job out of a {"jobs":[...]} payload; empty when none.
std::string only_job(const std::string& payload, std::int64_t id) {
    auto doc = json::parse(payload, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("jobs") || !doc["jobs"].is_array()) return "";
    json kept = json::array();
    for (auto& e : doc["jobs"])
        if (e.is_object() && e.value("id", std::int64_t{0}) == id) kept.push_back(e);
    return kept.empty() ? "" : dump_json({{"jobs", kept}});
}

std::string end_event(const std::string& reason) {
    return "event: end\ndata: " + dump_json({{"reason", reason}}) + "\n\n";
}

class EventStream : public ResponseStream {
public:
    EventStream(EventHub& hub, std::shared_ptr<EventHub::Subscription> sub, std::optional<std::int64_t> job,
                std::chrono::system_clock::time_point token_expires)
        : hub_(hub), sub_(std::move(sub)), job_(job), token_expires_(token_expires) {}

    void open(std::function<void()> wake) override { sub_->set_waker(std::move(wake)); }

    Pull pull() override {
        Pull out;
        auto now = std::chrono::steady_clock::now();
        if (!greeted_) {
            // Tells the client it is subscribed: state read after this cannot
            // miss a change.
            out.data = ": subscribed\n\n";
            greeted_ = true;
        }
        if (sub_->overflowed()) {
            spdlog::warn("GET /events: a client stopped reading; its stream is ended");
            out.end = true;
            return out;
        }
        for (auto& e : sub_->take(kMaxPullBytes)) {
            if (job_ && e.kind != "jobs") continue;
            std::string payload = job_ ? only_job(e.payload, *job_) : e.payload;
            if (!payload.empty()) out.data += "event: " + e.kind + "\ndata: " + payload + "\n\n";
        }
        if (std::chrono::system_clock::now() >= token_expires_) {
            out.data += end_event("token expired");
            out.end = true;
        } else if (sub_->closed() || !hub_.running()) {
            out.data += end_event("server stopping");
            out.end = true;
        } else if (out.data.empty() && now - last_sent_ >= std::chrono::seconds(defaults::kEventKeepaliveSeconds)) {
            out.data = ": keepalive\n\n";
        }
        if (!out.data.empty()) last_sent_ = now;
        return out;
    }

    bool abandoned() override { return sub_->overflowed(); }

    void close() override {
        sub_->set_waker(nullptr);
        hub_.unsubscribe(sub_);
    }

private:
    EventHub& hub_;
    std::shared_ptr<EventHub::Subscription> sub_;
    std::optional<std::int64_t> job_;
    std::chrono::system_clock::time_point token_expires_;
    std::chrono::steady_clock::time_point last_sent_ = std::chrono::steady_clock::now();
    bool greeted_ = false;
};

}  // namespace

void add_event_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/events", "GET /events", Role::read,
              [&ctx](const HttpRequest& req, HttpResponse& res, const Principal& who) {
                  std::optional<std::int64_t> job;
                  for (auto& [k, v] : req.params) {
                      if (k != "job_id") throw BadRequest("unknown query parameter '" + k + "' (only job_id)");
                      job = parse_int(v, 1, INT64_MAX, "job_id");
                  }
                  if (ctx.events.subscribers() >= static_cast<std::size_t>(ctx.settings.api.max_event_streams)) {
                      send_error(res, 503, "too many event streams open; try again later");
                      return;
                  }
                  res.set_header("Cache-Control", "no-cache");
                  res.content_type = "text/event-stream";
                  res.stream = std::make_shared<EventStream>(ctx.events, ctx.events.subscribe(), job, who.expires_at);
              });
}

}  // namespace switchyard::api
