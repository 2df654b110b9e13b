// `switchyard jobs enqueue|show|abort`: straight to the database.
#include "cli_context.h"
#include "engine/job_store.h"
#include "store/database.h"

#include <cstdio>
#include <iostream>
#include <optional>

namespace switchyard::cli {
namespace {

using nlohmann::json;

struct EnqueueOptions {
    std::string kind;
    std::string args = "{}";
    double in_seconds = 0;
    int priority = 0;
    std::string key;
    std::optional<int> max_attempts;
    std::optional<int> timeout;
    std::string queue, comment, ticket_ref, scheduled_by;
};

void enqueue(CliContext& ctx, const EnqueueOptions& o) {
    Settings settings = ctx.settings();
    engine::EnqueueRequest r;
    r.function_name = o.kind;
    r.args = json::parse(o.args, nullptr, false);
    if (r.args.is_discarded()) throw std::runtime_error("--args is not valid JSON: " + o.args);
    r.delay_seconds = o.in_seconds;
    r.priority = o.priority;
    r.idempotency_key = o.key;
    r.max_attempts = o.max_attempts;
    r.timeout_seconds = o.timeout;
    r.queue = o.queue;
    r.comment = o.comment;
    r.ticket_ref = o.ticket_ref;
    r.scheduled_by = o.scheduled_by.empty() ? (std::getenv("USER") ? std::getenv("USER") : "cli") : o.scheduled_by;
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    pqxx::work tx(*conn);
    auto result = engine::enqueue(tx, ctx.registry, settings, r);
    tx.commit();
    std::cout << result.id << "\n";
    if (result.existing) std::cerr << "a job with idempotency key '" << o.key << "' exists already: " << result.id << "\n";
}

std::string text_of(const json& v) {
    if (v.is_null()) return "-";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

void show(CliContext& ctx, std::int64_t id, bool as_json) {
    Settings settings = ctx.settings();
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    pqxx::read_transaction tx(*conn);
    auto job = engine::get_job(tx, id);
    if (!job) {
        std::cerr << "no job with id " << id << "\n";
        ctx.exit_code = 1;
        return;
    }
    if (as_json) {
        std::cout << job->dump(2) << "\n";
        return;
    }
    for (const char* field : {"id", "function_name", "status", "scheduled_time", "start_time", "finish_time",
                              "attempt", "max_attempts", "priority", "queue", "scheduled_by", "comment", "ticket_ref",
                              "next_job_id", "change_score", "finished_devices", "exception", "result", "errors"})
        std::cout << field << ": " << text_of((*job)[field]) << "\n";
}

void abort(CliContext& ctx, std::int64_t id, const std::string& reason) {
    Settings settings = ctx.settings();
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    pqxx::work tx(*conn);
    std::string by = std::getenv("USER") ? std::getenv("USER") : "cli";
    auto out = engine::abort_job(tx, id, reason, by);
    tx.commit();
    if (!out.found) {
        std::cerr << "no job with id " << id << "\n";
        ctx.exit_code = 1;
    } else if (out.before == out.after) {
        std::cerr << "job " << id << " is " << out.before << "; only SCHEDULED or RUNNING jobs can be aborted\n";
        ctx.exit_code = 1;
    } else {
        std::cout << "job " << id << ": " << out.before << " -> " << out.after << "\n";
    }
}

void list(CliContext& ctx, int limit) {
    Settings settings = ctx.settings();
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    pqxx::read_transaction tx(*conn);
    auto rows = tx.exec_params(std::string(store::sql("jobs/list.sql")), limit);
    std::printf("%-8s %-20s %-10s %-8s %-9s %s\n", "ID", "FUNCTION", "STATUS", "ATTEMPT", "SECONDS", "MESSAGE");
    for (auto row : rows) {
        std::string attempt = row[3].as<std::string>() + "/" + row[4].as<std::string>();
        std::string message = row[6].as<std::string>();
        if (message.size() > 70) message = message.substr(0, 67) + "...";
        std::printf("%-8s %-20s %-10s %-8s %-9s %s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), attempt.c_str(),
                    row[5].c_str(), message.c_str());
    }
}

}  // namespace

void add_jobs_commands(CLI::App& app, CliContext& ctx) {
    auto* jobs = app.add_subcommand("jobs", "jobs in the database");
    jobs->require_subcommand(1);

    static EnqueueOptions eo;
    auto* enq = jobs->add_subcommand("enqueue", "write a job into the database and print its id");
    ctx.add_common_options(*enq);
    enq->add_option("kind", eo.kind, "job kind (function name), e.g. noop, sleep")->required();
    enq->add_option("--args", eo.args, "arguments as a JSON object");
    enq->add_option("--in", eo.in_seconds, "run no sooner than this many seconds from now")->check(CLI::NonNegativeNumber);
    enq->add_option("--priority", eo.priority, "1 (runs first) to 10 (last), default 5")->check(CLI::Range(1, 10));
    enq->add_option("--key", eo.key, "idempotency key: a second enqueue with it returns the first job");
    enq->add_option("--max-attempts", eo.max_attempts, "attempts before giving up")->check(CLI::Range(1, 100));
    enq->add_option("--timeout", eo.timeout, "seconds before the job is aborted as timed out")->check(CLI::Range(1, 604800));
    enq->add_option("--queue", eo.queue, "queue (default: the kind's)");
    enq->add_option("--comment", eo.comment, "free text");
    enq->add_option("--ticket-ref", eo.ticket_ref, "ticket reference");
    enq->add_option("--scheduled-by", eo.scheduled_by, "who asked (default: $USER)");
    enq->callback([&ctx] { enqueue(ctx, eo); });

    static std::int64_t show_id = 0;
    static bool as_json = false;
    auto* sh = jobs->add_subcommand("show", "print a job");
    ctx.add_common_options(*sh);
    sh->add_option("id", show_id, "job id")->required()->check(CLI::PositiveNumber);
    sh->add_flag("--json", as_json, "the whole record as JSON");
    sh->callback([&ctx] { show(ctx, show_id, as_json); });

    static int limit = 20;
    auto* ls = jobs->add_subcommand("list", "the newest jobs, newest first");
    ctx.add_common_options(*ls);
    ls->add_option("--limit", limit, "how many (1-1000)")->check(CLI::Range(1, 1000));
    ls->callback([&ctx] { list(ctx, limit); });

    static std::int64_t abort_id = 0;
    static std::string reason = "aborted from the command line";
    auto* ab = jobs->add_subcommand("abort", "abort a SCHEDULED or RUNNING job");
    ctx.add_common_options(*ab);
    ab->add_option("id", abort_id, "job id")->required()->check(CLI::PositiveNumber);
    ab->add_option("--reason", reason, "why (kept in the job's result)");
    ab->callback([&ctx] { abort(ctx, abort_id, reason); });
}

}  // namespace switchyard::cli
