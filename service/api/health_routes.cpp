// GET /health (no token): is the process up and the database reachable.
// GET /metrics (Prometheus text format, read role).
#include "health_probe.h"
#include "http_route.h"
#include "store/queries.h"
#include "version.h"

#include <sstream>

namespace switchyard::api {

using nlohmann::json;

namespace {

std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string metrics_text(ApiContext& ctx) {
    namespace q = store::sql::metrics;
    std::ostringstream out;
    ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        out << "# HELP switchyard_jobs Jobs in the database by state and kind.\n# TYPE switchyard_jobs gauge\n";
        for (auto& row : q::job_counts(tx))
            out << "switchyard_jobs{status=\"" << row.status << "\",function_name=\"" << label(row.function_name)
                << "\"} " << row.jobs << "\n";
        out << "# HELP switchyard_queue_depth Due jobs waiting to be claimed, by queue.\n"
               "# TYPE switchyard_queue_depth gauge\n";
        for (auto& row : q::queue_depths(tx))
            out << "switchyard_queue_depth{queue=\"" << label(row.queue) << "\"} " << row.due << "\n";
        out << "# HELP switchyard_job_duration_seconds Run time of jobs that ended in the last hour.\n"
               "# TYPE switchyard_job_duration_seconds summary\n";
        for (auto& row : q::job_durations(tx)) {
            std::string fn = label(row.function_name);
            out << "switchyard_job_duration_seconds{function_name=\"" << fn << "\",quantile=\"0.5\"} " << row.p50
                << "\n"
                << "switchyard_job_duration_seconds{function_name=\"" << fn << "\",quantile=\"0.99\"} " << row.p99
                << "\n"
                << "switchyard_job_duration_seconds_sum{function_name=\"" << fn << "\"} " << row.total << "\n"
                << "switchyard_job_duration_seconds_count{function_name=\"" << fn << "\"} " << row.jobs << "\n";
        }
        out << "# HELP switchyard_device_tasks Device outcomes of sync jobs that ended in the last hour.\n"
               "# TYPE switchyard_device_tasks gauge\n";
        for (auto& row : q::device_outcomes(tx))
            out << "switchyard_device_tasks{outcome=\"" << row.outcome << "\"} " << row.devices << "\n";
        out << "# HELP switchyard_lock_held_seconds How long each held lock has been held.\n"
               "# TYPE switchyard_lock_held_seconds gauge\n";
        for (auto& row : q::lock_ages(tx))
            out << "switchyard_lock_held_seconds{name=\"" << label(row.name) << "\"} " << row.held_seconds << "\n";
        out << "# HELP switchyard_workers_alive Worker processes with a live lease.\n# TYPE switchyard_workers_alive "
               "gauge\n"
            << "switchyard_workers_alive " << q::workers_alive(tx).workers << "\n";
        return 0;
    });
    out << "# HELP switchyard_http_requests_total HTTP requests by route and status code.\n"
           "# TYPE switchyard_http_requests_total counter\n";
    for (auto& [key, n] : ctx.metrics.snapshot())
        out << "switchyard_http_requests_total{route=\"" << label(key.first) << "\",code=\"" << key.second << "\"} "
            << n << "\n";
    out << "# HELP switchyard_event_streams Open /events streams.\n# TYPE switchyard_event_streams gauge\n"
        << "switchyard_event_streams " << ctx.events.subscribers() << "\n";
    auto cache = ctx.job_documents.stats();
    out << "# HELP switchyard_job_cache_lookups_total GET /jobs: ended jobs' documents served from memory (hit) or "
           "read from the database (miss).\n# TYPE switchyard_job_cache_lookups_total counter\n"
        << "switchyard_job_cache_lookups_total{outcome=\"hit\"} " << cache.hits << "\n"
        << "switchyard_job_cache_lookups_total{outcome=\"miss\"} " << cache.misses << "\n"
        << "# HELP switchyard_job_cache_evictions_total Documents dropped to stay within api.job_cache_bytes.\n"
           "# TYPE switchyard_job_cache_evictions_total counter\n"
        << "switchyard_job_cache_evictions_total " << cache.evictions << "\n"
        << "# HELP switchyard_job_cache_bytes Memory the kept documents count for.\n"
           "# TYPE switchyard_job_cache_bytes gauge\n"
        << "switchyard_job_cache_bytes " << cache.bytes << "\n";
    return out.str();
}

}  // namespace

void add_health_routes(Router& router, ApiContext& ctx) {
    auto probe = std::make_shared<HealthProbe>(ctx.url, ctx.settings.database.connect_timeout_seconds);
    add_route(
        router, Method::get, "/api/v1.0/health", "GET /health", std::nullopt,
        [probe](auto&, auto& res, auto&) {
            std::string database = probe->database_ok() ? "ok" : "unreachable";
            json data = {{"process", "ok"}, {"database", database}, {"version", version()}};
            if (database == "ok") send_success(res, data);
            else {
                res.status = 503;
                res.set_content(
                    dump_json({{"status", "error"}, {"message", "the database is unreachable"}, {"data", data}}),
                    "application/json");
            }
        },
        Lane::health);
    add_route(router, Method::get, "/api/v1.0/metrics", "GET /metrics", Role::read,
              [&ctx](auto&, auto& res, auto&) { res.set_content(metrics_text(ctx), "text/plain; version=0.0.4"); });
}

}  // namespace switchyard::api
