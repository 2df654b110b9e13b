// `switchyard schedules list|add|enable|disable|delete`: periodic jobs,
// through the API (GET/POST /schedules, PUT/DELETE /schedule/<id>).
#include "api_client.h"
#include "cli_context.h"

#include <cstdio>
#include <iostream>

namespace switchyard::cli {
namespace {

using nlohmann::json;

struct AddOptions {
    std::string name, kind, args = "{}", cron, time_zone = "UTC", missed = "run_once", comment;
    int every = 0;
    int priority = 0;
    bool disabled = false;
};

void list(CliContext& ctx, bool as_json) {
    json data = ctx.api().get("/api/v1.0/schedules");
    if (as_json) {
        std::cout << data.dump(2) << "\n";
        return;
    }
    std::printf("%-6s %-24s %-22s %-28s %-8s %-9s %-26s %-8s %s\n", "ID", "NAME", "FUNCTION", "WHEN", "ENABLED",
                "MISSED", "NEXT RUN", "LAST JOB", "LAST ERROR");
    for (auto& s : data["schedules"]) {
        std::string when = s["cron"].is_string()
                               ? s["cron"].get<std::string>() + " " + s["time_zone"].get<std::string>()
                               : "every " + text_of(s["interval_seconds"]) + " s";
        std::printf("%-6s %-24s %-22s %-28s %-8s %-9s %-26s %-8s %s\n", text_of(s["id"]).c_str(),
                    text_of(s["name"]).c_str(), text_of(s["function_name"]).c_str(), when.c_str(),
                    s["enabled"] == true ? "yes" : "no", text_of(s["missed"]).c_str(),
                    text_of(s["next_run_at"]).substr(0, 26).c_str(), text_of(s["last_job_id"]).c_str(),
                    text_of(s["last_error"]).c_str());
    }
}

void add(CliContext& ctx, const AddOptions& o) {
    if (o.cron.empty() == (o.every == 0)) throw std::runtime_error("give either --cron or --every");
    json body = {{"name", o.name}, {"function_name", o.kind}, {"missed", o.missed}, {"enabled", !o.disabled}};
    body["arguments"] = json::parse(o.args, nullptr, false);
    if (body["arguments"].is_discarded()) throw std::runtime_error("--args is not valid JSON: " + o.args);
    if (!o.cron.empty()) {
        body["cron"] = o.cron;
        body["time_zone"] = o.time_zone;
    } else {
        body["interval_seconds"] = o.every;
    }
    if (o.priority) body["priority"] = o.priority;
    if (!o.comment.empty()) body["comment"] = o.comment;
    json s = ctx.api().post_raw("/api/v1.0/schedules", body)["data"]["schedules"][0];
    std::cout << s["id"] << "\n";
    std::cerr << "schedule " << text_of(s["name"]) << " (" << s["id"] << "): next run at " << text_of(s["next_run_at"])
              << "\n";
}

void set_enabled(CliContext& ctx, std::int64_t id, bool enabled) {
    json s = ctx.api().put("/api/v1.0/schedule/" + std::to_string(id), {{"enabled", enabled}})["schedules"][0];
    std::cout << "schedule " << text_of(s["name"]) << " (" << id << ") " << (enabled ? "enabled" : "disabled")
              << (enabled ? "; next run at " + text_of(s["next_run_at"]) : "") << "\n";
}

}  // namespace

void add_schedules_commands(CLI::App& app, CliContext& ctx) {
    auto* schedules = app.add_subcommand("schedules", "periodic jobs (through the API; changes need the admin role)");
    schedules->require_subcommand(1);

    ctx.add_api_read_command(*schedules, "list", "every schedule with its next run, last job and last error",
                             [&ctx](bool as_json) { list(ctx, as_json); });

    static AddOptions ao;
    auto* a = schedules->add_subcommand("add", "create a schedule and print its id");
    ctx.add_api_options(*a);
    a->add_option("name", ao.name, "a unique name")->required();
    a->add_option("kind", ao.kind, "job kind (function name), e.g. backup_configs")->required();
    a->add_option("--args", ao.args, "the job's arguments as a JSON object");
    a->add_option("--cron", ao.cron, "a cron expression: \"minute hour day-of-month month day-of-week\" or @daily ...");
    a->add_option("--tz", ao.time_zone, "the cron expression's time zone (IANA name, default UTC)");
    a->add_option("--every", ao.every, "or: every this many seconds")->check(CLI::Range(1, 366 * 86400));
    a->add_option("--missed", ao.missed, "ticks missed while nothing ran: run_once (default) or skip")
        ->check(CLI::IsMember({"run_once", "skip"}));
    a->add_option("--priority", ao.priority, "1 (runs first) to 10 (last)")->check(CLI::Range(1, 10));
    a->add_option("--comment", ao.comment, "free text");
    a->add_flag("--disabled", ao.disabled, "create it disabled");
    a->callback([&ctx] { add(ctx, ao); });

    static std::int64_t enable_id = 0, disable_id = 0, delete_id = 0;
    auto* en = schedules->add_subcommand("enable", "enable a schedule (it runs from its next tick on)");
    ctx.add_api_options(*en);
    en->add_option("id", enable_id, "schedule id")->required()->check(CLI::PositiveNumber);
    en->callback([&ctx] { set_enabled(ctx, enable_id, true); });

    auto* dis = schedules->add_subcommand("disable", "disable a schedule (no tick becomes a job until enabled)");
    ctx.add_api_options(*dis);
    dis->add_option("id", disable_id, "schedule id")->required()->check(CLI::PositiveNumber);
    dis->callback([&ctx] { set_enabled(ctx, disable_id, false); });

    auto* del = schedules->add_subcommand("delete", "delete a schedule (the jobs it made stay)");
    ctx.add_api_options(*del);
    del->add_option("id", delete_id, "schedule id")->required()->check(CLI::PositiveNumber);
    del->callback([&ctx] {
        ctx.api().del("/api/v1.0/schedule/" + std::to_string(delete_id), json::object());
        std::cout << "schedule " << delete_id << " deleted\n";
    });
}

}  // namespace switchyard::cli
