// GET /health (no token): is the process up and the database reachable.
// GET /metrics (Prometheus text format, read role).
#include "http_route.h"
#include "store/database.h"

#include <sstream>

namespace switchyard::api {

using nlohmann::json;

namespace {

std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out;
}

std::string metrics_text(ApiContext& ctx) {
    std::ostringstream out;
    ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        out << "# HELP switchyard_jobs Jobs in the database by state and kind.\n# TYPE switchyard_jobs gauge\n";
        // From the maintained counts (migration 0006), not a scan of jobs.
        for (auto row : tx.exec("SELECT status, function_name, sum(n) FROM ("
                                " SELECT status, function_name, n FROM job_counts"
                                " UNION ALL SELECT status, function_name, n FROM job_count_deltas) c"
                                " GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2"))
            out << "switchyard_jobs{status=\"" << row[0].c_str() << "\",function_name=\"" << label(row[1].c_str())
                << "\"} " << row[2].c_str() << "\n";
        out << "# HELP switchyard_queue_depth Due jobs waiting to be claimed, by queue.\n"
               "# TYPE switchyard_queue_depth gauge\n";
        for (auto row : tx.exec("SELECT queue, count(*) FROM jobs WHERE status = 'SCHEDULED' AND scheduled_time <= now() "
                                "GROUP BY 1 ORDER BY 1"))
            out << "switchyard_queue_depth{queue=\"" << label(row[0].c_str()) << "\"} " << row[1].c_str() << "\n";
        out << "# HELP switchyard_job_duration_seconds Run time of jobs that ended in the last hour.\n"
               "# TYPE switchyard_job_duration_seconds summary\n";
        for (auto row : tx.exec(
                 "SELECT function_name, percentile_cont(0.5) WITHIN GROUP (ORDER BY d), "
                 "percentile_cont(0.99) WITHIN GROUP (ORDER BY d), sum(d), count(*) FROM ("
                 " SELECT function_name, extract(epoch FROM finish_time - start_time) AS d FROM jobs"
                 " WHERE finish_time > now() - interval '1 hour' AND start_time IS NOT NULL) x GROUP BY 1 ORDER BY 1")) {
            std::string fn = label(row[0].c_str());
            out << "switchyard_job_duration_seconds{function_name=\"" << fn << "\",quantile=\"0.5\"} " << row[1].c_str() << "\n"
                << "switchyard_job_duration_seconds{function_name=\"" << fn << "\",quantile=\"0.99\"} " << row[2].c_str() << "\n"
                << "switchyard_job_duration_seconds_sum{function_name=\"" << fn << "\"} " << row[3].c_str() << "\n"
                << "switchyard_job_duration_seconds_count{function_name=\"" << fn << "\"} " << row[4].c_str() << "\n";
        }
        out << "# HELP switchyard_device_tasks Device outcomes of sync jobs that ended in the last hour.\n"
               "# TYPE switchyard_device_tasks gauge\n";
        for (auto row : tx.exec(
                 "SELECT CASE WHEN (d.value->>'failed')::boolean THEN 'failed' ELSE 'ok' END, count(*) "
                 "FROM jobs j, jsonb_each(CASE WHEN jsonb_typeof(j.result->'devices') = 'object' "
                 "THEN j.result->'devices' ELSE '{}'::jsonb END) d "
                 "WHERE j.function_name LIKE 'sync_devices%' AND j.finish_time > now() - interval '1 hour' "
                 "GROUP BY 1 ORDER BY 1"))
            out << "switchyard_device_tasks{outcome=\"" << row[0].c_str() << "\"} " << row[1].c_str() << "\n";
        out << "# HELP switchyard_lock_held_seconds How long each held lock has been held.\n"
               "# TYPE switchyard_lock_held_seconds gauge\n";
        for (auto row : tx.exec("SELECT name, extract(epoch FROM now() - start_time) FROM job_locks ORDER BY 1"))
            out << "switchyard_lock_held_seconds{name=\"" << label(row[0].c_str()) << "\"} " << row[1].c_str() << "\n";
        out << "# HELP switchyard_workers_alive Worker processes with a live lease.\n# TYPE switchyard_workers_alive gauge\n"
            << "switchyard_workers_alive " << tx.exec("SELECT count(*) FROM workers WHERE dead_at IS NULL")[0][0].c_str()
            << "\n";
        return 0;
    });
    out << "# HELP switchyard_http_requests_total HTTP requests by route and status code.\n"
           "# TYPE switchyard_http_requests_total counter\n";
    for (auto& [key, n] : ctx.metrics.snapshot())
        out << "switchyard_http_requests_total{route=\"" << label(key.first) << "\",code=\"" << key.second << "\"} " << n
            << "\n";
    out << "# HELP switchyard_event_streams Open /events streams.\n# TYPE switchyard_event_streams gauge\n"
        << "switchyard_event_streams " << ctx.events.subscribers() << "\n";
    return out.str();
}

}  // namespace

void add_health_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/health", "GET /health", std::nullopt, [&ctx](auto&, auto& res, auto&) {
        std::string database = "ok";
        try {
            ctx.pool.with([](pqxx::connection& conn) {
                pqxx::nontransaction tx(conn);
                return tx.exec("SELECT 1").size();
            });
        } catch (const std::exception& e) {
            database = "unreachable";
        }
        json data = {{"process", "ok"}, {"database", database}, {"version", "0.1.0"}};
        if (database == "ok") send_success(res, data);
        else {
            res.status = 503;
            res.set_content(dump_json({{"status", "error"}, {"message", "the database is unreachable"}, {"data", data}}),
                            "application/json");
        }
    }, Lane::health);
    add_route(router, Method::get, "/api/v1.0/metrics", "GET /metrics", Role::read, [&ctx](auto&, auto& res, auto&) {
        res.set_content(metrics_text(ctx), "text/plain; version=0.0.4");
    });
}

}  // namespace switchyard::api
