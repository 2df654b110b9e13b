// `switchyard jobs enqueue` (straight into the database) and
// `switchyard jobs list|show|abort|suspend|resume|retry|types` (through the API).
#include "api_client.h"
#include "cli_context.h"
#include "engine/job_store.h"
#include "progress_bar.h"
#include "store/database.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

namespace switchyard::cli {
namespace {

using nlohmann::json;

// `jobs enqueue`'s options bind straight to the request's fields, all but
// the arguments, given as JSON text.
struct EnqueueOptions {
    engine::EnqueueRequest request;
    std::string args = "{}";
};

void enqueue(CliContext& ctx, const EnqueueOptions& o) {
    Settings settings = ctx.settings();
    engine::EnqueueRequest r = o.request;
    r.args = json::parse(o.args, nullptr, false);
    if (r.args.is_discarded()) throw std::runtime_error("--args is not valid JSON: " + o.args);
    if (r.scheduled_by.empty()) r.scheduled_by = std::getenv("USER") ? std::getenv("USER") : "cli";
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    pqxx::work tx(*conn);
    auto result = engine::enqueue(tx, ctx.registry, settings, r);
    tx.commit();
    std::cout << result.id << "\n";
    if (result.existing)
        std::cerr << "a job with idempotency key '" << r.idempotency_key << "' exists already: " << result.id << "\n";
}

// From the API's JSON: a name we do not know is not an end.
bool ended(const std::string& status) {
    auto s = engine::job_status_from_string(status);
    return s && engine::is_final(*s);
}

// A sync, apply_config, confirm_devices or backup_configs result as a table: one line per device.
void print_devices(const json& devices) {
    std::printf("%-24s %-8s %-6s %-7s %s\n", "DEVICE", "OUTCOME", "SCORE", "CHANGES", "MESSAGE");
    for (auto& [host, d] : devices.items()) {
        std::string diff, message;
        for (auto& t : d.value("job_tasks", json::array())) {
            // sync_devices; apply_config's is "Push static config" (CNaaS-NMS's name).
            if (t.value("task_name", "") == "Sync device config" || t.value("task_name", "") == "Push static config") {
                diff = t["diff"].is_string() ? t["diff"].get<std::string>() : "";
                message = text_of(t["result"]);
            }
            if ((t.value("task_name", "") == "push_sync_device" || t.value("task_name", "") == "push_static_config") &&
                t.value("failed", false))
                message = text_of(t["result"]);
            if (t.value("task_name", "") == "Confirm device config") message = text_of(t["result"]);  // confirm_devices
            if (t.value("task_name", "") == "Backup device config") message = text_of(t["result"]);   // backup_configs
        }
        int changes = 0;
        for (std::size_t i = 0; i < diff.size(); i = diff.find('\n', i) + 1) {
            if ((diff[i] == '+' || diff[i] == '-') && diff.compare(i, 3, "+++") != 0 && diff.compare(i, 3, "---") != 0)
                ++changes;
            if (diff.find('\n', i) == std::string::npos) break;
        }
        if (message.size() > 90) message = message.substr(0, 87) + "...";
        std::printf("%-24s %-8s %-6s %-7d %s\n", host.c_str(), d.value("failed", false) ? "FAILED" : "ok",
                    text_of(d.value("change_score", json())).c_str(), changes,
                    message.c_str());  // confirm_devices has none
    }
}

void print_job(const json& job) {
    bool devices = job["result"].is_object() && job["result"].contains("devices");
    for (const char* field :
         {"id",         "function_name", "status",   "scheduled_time", "start_time",   "finish_time",
          "attempt",    "max_attempts",  "priority", "queue",          "scheduled_by", "comment",
          "ticket_ref", "next_job_id",   "retry_of", "retried_by",     "change_score", "finished_devices",
          "exception",  "result",        "errors"}) {
        if (devices && (std::string(field) == "result" || std::string(field) == "finished_devices")) continue;
        std::cout << field << ": " << text_of(job[field]) << "\n";
    }
    if (devices) print_devices(job["result"]["devices"]);
}

void list(CliContext& ctx, int limit, const std::string& status, bool as_json) {
    auto api = ctx.api();
    std::string path = "/api/v1.0/jobs?sort=-id&per_page=" + std::to_string(limit);
    if (!status.empty()) path += "&filter[status]=" + status;
    std::string total;
    json data = api.get(path, &total);
    if (as_json) {
        std::cout << data.dump(2) << "\n";
        return;
    }
    std::printf("%-8s %-22s %-10s %-8s %-26s %s\n", "ID", "FUNCTION", "STATUS", "ATTEMPT", "FINISHED", "MESSAGE");
    for (auto& j : data["jobs"]) {
        std::string attempt = std::to_string(j.value("attempt", 0)) + "/" + std::to_string(j.value("max_attempts", 1));
        std::string message = j["exception"].is_object() ? text_of(j["exception"]["message"])
                              : j["result"].is_object() && j["result"].contains("message")
                                  ? text_of(j["result"]["message"])
                                  : "";
        if (message.size() > 60) message = message.substr(0, 57) + "...";
        std::printf("%-8s %-22s %-10s %-8s %-26s %s\n", text_of(j["id"]).c_str(), text_of(j["function_name"]).c_str(),
                    text_of(j["status"]).c_str(), attempt.c_str(), text_of(j["finish_time"]).substr(0, 26).c_str(),
                    message.c_str());
    }
    std::printf("(%zu of %s jobs shown)\n", data["jobs"].size(), total.c_str());
}

// "42 s", "3 min 5 s", "2 h 10 min".
std::string eta_text(double seconds) {
    long s = std::lround(std::max(0.0, seconds));
    if (s < 60) return std::to_string(s) + " s";
    if (s < 3600) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
    return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
}

void print_job_types(const json& types, bool as_json) {
    if (as_json) {
        std::cout << types.dump(2) << "\n";
        return;
    }
    for (auto& t : types) {
        std::string locks;
        for (auto& l : t["locks"]) locks += (locks.empty() ? "" : "; ") + l.get<std::string>();
        std::cout << text_of(t["function_name"]) << "\n  " << text_of(t["description"]) << "\n  queue "
                  << text_of(t["queue"]) << ", timeout " << text_of(t["default_timeout_seconds"]) << " s"
                  << (t["timeout_from_estimate"] == true ? " (or its duration estimate x factor)" : "") << ", attempts "
                  << text_of(t["default_max_attempts"]) << ", "
                  << (t["retry_safe"] == true ? "safe to run again" : "not safe to run again")
                  << (t["device_job"] == true ? ", device job" : "")
                  << "\n  locks: " << (locks.empty() ? "none" : locks) << "\n  arguments: " << t["arguments"].dump()
                  << "\n";
    }
}

json fetch_job(ApiClient& api, std::int64_t id) { return api.get("/api/v1.0/job/" + std::to_string(id))["jobs"][0]; }

void follow(ApiClient& api, std::int64_t id) {
    ProgressBar bar(std::cerr);
    json job = fetch_job(api, id);
    auto draw = [&] {
        const json& p = job["progress"];
        std::size_t done = job["finished_devices"].size();
        std::size_t total =
            p.is_object() && p.contains("total") && p["total"].is_number() ? p["total"].get<std::size_t>() : 0;
        std::string status = job["status"].get<std::string>();
        if (job["eta_seconds"].is_number()) status += "  ETA " + eta_text(job["eta_seconds"].get<double>());
        // A rollout's batch, and whether it is suspended between batches.
        if (p.is_object() && p.contains("batch") && p["batch"].is_number() && p.contains("batches") &&
            p["batches"].is_number())
            status += "  batch " + p["batch"].dump() + "/" + p["batches"].dump() +
                      (p.contains("suspended") && p["suspended"] == true ? " (suspended)" : "");
        bar.draw(status, done, total);
    };
    draw();
    if (!ended(job["status"])) {
        // Every event (and the stream's keepalives) is a cue to read the job again.
        try {
            api.follow_events("/api/v1.0/events?job_id=" + std::to_string(id),
                              [&](const std::string&, const std::string&) {
                                  job = fetch_job(api, id);
                                  draw();
                                  return !ended(job["status"]);
                              });
        } catch (const std::exception&) {
            // No event stream (refused, cut): keep following by reading the job.
        }
        while (!ended(job["status"])) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            job = fetch_job(api, id);
            draw();
        }
    }
    bar.finish();
}

}  // namespace

void add_jobs_commands(CLI::App& app, CliContext& ctx) {
    auto* jobs = app.add_subcommand("jobs", "jobs");
    jobs->require_subcommand(1);

    static EnqueueOptions eo;
    auto* enq = jobs->add_subcommand("enqueue", "write a job straight into the database and print its id");
    ctx.add_common_options(*enq);
    enq->add_option("kind", eo.request.function_name, "job kind (function name), e.g. noop, sleep")->required();
    enq->add_option("--args", eo.args, "arguments as a JSON object");
    enq->add_option("--in", eo.request.delay_seconds, "run no sooner than this many seconds from now")
        ->check(CLI::NonNegativeNumber);
    enq->add_option("--priority", eo.request.priority, "1 (runs first) to 10 (last), default 5")
        ->check(CLI::Range(1, 10));
    enq->add_option("--key", eo.request.idempotency_key,
                    "idempotency key: a second enqueue with it returns the first job");
    enq->add_option("--max-attempts", eo.request.max_attempts, "attempts before giving up")->check(CLI::Range(1, 100));
    enq->add_option("--timeout", eo.request.timeout_seconds, "seconds before the job is aborted as timed out")
        ->check(CLI::Range(1, 604800));
    enq->add_option("--queue", eo.request.queue, "queue (default: the kind's)");
    enq->add_option("--comment", eo.request.comment, "free text");
    enq->add_option("--ticket-ref", eo.request.ticket_ref, "ticket reference");
    enq->add_option("--scheduled-by", eo.request.scheduled_by, "who asked (default: $USER)");
    enq->callback([&ctx] { enqueue(ctx, eo); });

    static int limit = 20;
    static std::string status;
    static bool list_json = false;
    auto* ls = jobs->add_subcommand("list", "the newest jobs, newest first (through the API)");
    ctx.add_api_options(*ls);
    ls->add_option("--limit", limit, "how many (1-1000)")->check(CLI::Range(1, 1000));
    ls->add_option("--status", status, "only jobs in this state");
    ls->add_flag("--json", list_json, "the API's JSON");
    ls->callback([&ctx] { list(ctx, limit, status, list_json); });

    static std::int64_t show_id = 0;
    static bool as_json = false;
    static bool follow_flag = false;
    auto* sh = jobs->add_subcommand("show", "print a job (through the API)");
    ctx.add_api_options(*sh);
    sh->add_option("id", show_id, "job id")->required()->check(CLI::PositiveNumber);
    sh->add_flag("--json", as_json, "the whole record as JSON");
    sh->add_flag("--follow", follow_flag, "follow a running job with a progress bar until it ends");
    sh->callback([&ctx] {
        auto api = ctx.api();
        if (follow_flag) follow(api, show_id);
        json job = fetch_job(api, show_id);
        if (as_json) std::cout << job.dump(2) << "\n";
        else print_job(job);
    });

    static std::int64_t abort_id = 0;
    static std::string reason = "aborted from the command line";
    auto* ab = jobs->add_subcommand("abort", "abort a SCHEDULED or RUNNING job (through the API)");
    ctx.add_api_options(*ab);
    ab->add_option("id", abort_id, "job id")->required()->check(CLI::PositiveNumber);
    ab->add_option("--reason", reason, "why (kept in the job's result)");
    ab->callback([&ctx] {
        auto data =
            ctx.api().put("/api/v1.0/job/" + std::to_string(abort_id), {{"action", "ABORT"}, {"abort_reason", reason}});
        std::cout << data.value("message", "aborted") << "\n";
    });

    // A running rollout pauses between its batches, keeping its locks.
    static std::int64_t suspend_id = 0;
    for (const char* action : {"suspend", "resume"}) {
        bool suspend = std::string(action) == "suspend";
        auto* su = jobs->add_subcommand(action, suspend ? "suspend a running rollout before its next batch (through "
                                                          "the API); it keeps its locks"
                                                        : "resume a suspended rollout (through the API)");
        ctx.add_api_options(*su);
        su->add_option("id", suspend_id, "job id")->required()->check(CLI::PositiveNumber);
        su->callback([&ctx, suspend] {
            auto data = ctx.api().put("/api/v1.0/job/" + std::to_string(suspend_id),
                                      {{"action", suspend ? "SUSPEND" : "RESUME"}});
            std::cout << data.value("message", suspend ? "suspended" : "resumed") << "\n";
        });
    }

    static std::int64_t retry_id = 0;
    auto* rt = jobs->add_subcommand("retry",
                                    "run an ended job again: a new job with the same kind and arguments "
                                    "(through the API); prints the new job's id");
    ctx.add_api_options(*rt);
    rt->add_option("id", retry_id, "job id")->required()->check(CLI::PositiveNumber);
    rt->callback([&ctx] {
        auto data = ctx.api().put("/api/v1.0/job/" + std::to_string(retry_id), {{"action", "RETRY"}});
        std::cout << data["job_id"] << "\n";
        std::cerr << data.value("message", "retried") << "\n";
    });

    ctx.add_api_read_command(
        *jobs, "types",
        "the job kinds the service runs: what each does, its arguments, defaults and locks "
        "(through the API)",
        [&ctx](bool as_json) { print_job_types(ctx.api().get("/api/v1.0/job_types")["job_types"], as_json); });
}

}  // namespace switchyard::cli
