// `switchyard devices history | config | diff HOSTNAME`: a device's config
// history through the API (GET /device/<hostname>/configs...), secrets masked
// by the API; `devices restore HOSTNAME --config-id N [--live]` schedules an
// apply_config job (POST /device/<hostname>/apply_config) that brings the
// device back to one of those records with a sync's safety.
#include "api_client.h"
#include "cli_context.h"
#include "devices/config_history.h"
#include "devices/inventory.h"

#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>

namespace switchyard::cli {
namespace {

using nlohmann::json;

struct HistoryOptions {
    std::string hostname;
    std::int64_t id = 0;       // 0: the newest record
    std::int64_t against = 0;  // 0: the previous config
    bool as_json = false;
};

// The API path of a device's configs; the hostname is checked first so it
// can neither leave its path segment nor be refused with a vaguer message.
std::string configs_path(const std::string& hostname) {
    if (auto err = devices::hostname_error(hostname); !err.empty())
        throw std::runtime_error("hostname '" + hostname + "': " + err);
    return "/api/v1.0/device/" + hostname + "/configs";
}

// "2026-11-23T16:48:40.890216+00:00" -> "2026-11-23T16:48:40Z" (the API's times are UTC).
std::string utc_seconds(const json& time) {
    return time.is_string() ? time.get<std::string>().substr(0, 19) + "Z" : "-";
}

// --id, or the newest record's.
std::int64_t record_id(ApiClient& api, const HistoryOptions& o) {
    if (o.id) return o.id;
    auto newest = api.get(configs_path(o.hostname) + "?per_page=1")["configs"];
    if (newest.empty()) throw std::runtime_error("no config recorded for " + o.hostname + " yet (a sync records them)");
    return newest[0]["id"].get<std::int64_t>();
}

void history(CliContext& ctx, const HistoryOptions& o) {
    auto api = ctx.api();
    std::string total;
    auto configs =
        api.get(configs_path(o.hostname) + "?per_page=" + std::to_string(devices::ConfigHistory::kKeepPerDevice),
                &total)["configs"];
    if (o.as_json) {
        std::cout << configs.dump(2) << "\n";
        return;
    }
    std::printf("%-10s %-21s %-10s %-7s %s\n", "ID", "TIME", "JOB", "SOURCE", "HASH");
    for (auto& c : configs)
        std::printf("%-10s %-21s %-10s %-7s %s\n", text_of(c["id"]).c_str(), utc_seconds(c["recorded_at"]).c_str(),
                    text_of(c["job_id"]).c_str(), text_of(c["source"]).c_str(),
                    text_of(c["confhash"]).substr(0, 12).c_str());
    std::printf("(%zu of %s configs of %s)\n", configs.size(), total.c_str(), o.hostname.c_str());
}

void config(CliContext& ctx, const HistoryOptions& o) {
    auto api = ctx.api();
    auto c = api.get(configs_path(o.hostname) + "/" + std::to_string(record_id(api, o)));
    std::cerr << "# " << o.hostname << " config " << text_of(c["id"]) << ", " << text_of(c["source"]) << " at "
              << text_of(c["recorded_at"]) << " by job " << text_of(c["job_id"]) << "\n";
    std::string text = c["config"].get<std::string>();
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
}

void diff(CliContext& ctx, const HistoryOptions& o) {
    auto api = ctx.api();
    std::string against = o.against ? std::to_string(o.against) : "previous";
    auto d = api.get(configs_path(o.hostname) + "/" + std::to_string(record_id(api, o)) + "/diff?against=" + against);
    std::string text = d["diff"].get<std::string>();
    if (text.empty())
        std::cerr << "configs " << text_of(d["from"]) << " and " << text_of(d["to"]) << " do not differ\n";
    std::cout << text;
}

struct RestoreOptions {
    std::string hostname;
    std::int64_t config_id = 0;
    bool live = false, force = false;
    // Not given: the server's sync.default_confirm_mode (1 where it is 2).
    std::optional<int> confirm_mode;
    std::string comment, ticket_ref;
};

void restore(CliContext& ctx, const RestoreOptions& o) {
    // Checked first so it can neither leave its path segment nor be refused
    // with a vaguer message.
    if (auto err = devices::hostname_error(o.hostname); !err.empty())
        throw std::runtime_error("hostname '" + o.hostname + "': " + err);
    json body = {{"config_id", o.config_id}, {"dry_run", !o.live}, {"force", o.force}};
    if (o.confirm_mode) body["confirm_mode"] = *o.confirm_mode;
    if (!o.comment.empty()) body["comment"] = o.comment;
    if (!o.ticket_ref.empty()) body["ticket_ref"] = o.ticket_ref;
    auto api = ctx.api();
    auto reply = api.post_raw("/api/v1.0/device/" + o.hostname + "/apply_config", body);
    std::cerr << reply["data"].get<std::string>() << (o.live ? "" : " (a dry run)") << ": job " << reply["job_id"]
              << "\n";
    std::cout << reply["job_id"] << "\n";
}

}  // namespace

void add_device_history_commands(CLI::App& devices_command, CliContext& ctx) {
    static HistoryOptions o;
    const CLI::Range id_range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max());
    auto hostname = [](CLI::App* c) {
        c->add_option("hostname", o.hostname, "a device from the inventory")->required();
    };

    auto* hi = devices_command.add_subcommand("history", "the configs recorded for a device, newest first");
    ctx.add_api_options(*hi);
    hostname(hi);
    hi->add_flag("--json", o.as_json, "the API's JSON");
    hi->callback([&ctx] { history(ctx, o); });

    auto* co = devices_command.add_subcommand("config", "a recorded config of a device (secrets masked)");
    ctx.add_api_options(*co);
    hostname(co);
    co->add_option("--id", o.id, "the record (default: the newest)")->check(id_range);
    co->callback([&ctx] { config(ctx, o); });

    auto* di = devices_command.add_subcommand("diff", "diff of a recorded config against an older one");
    ctx.add_api_options(*di);
    hostname(di);
    di->add_option("--id", o.id, "the record (default: the newest)")->check(id_range);
    di->add_option("--against", o.against, "the record to compare with (default: the previous config)")
        ->check(id_range);
    di->callback([&ctx] { diff(ctx, o); });

    static RestoreOptions ro;
    auto* re = devices_command.add_subcommand(
        "restore",
        "schedule an apply_config job that restores a recorded config to a device (a dry run unless "
        "--live) and print its id");
    ctx.add_api_options(*re);
    re->add_option("hostname", ro.hostname, "a device from the inventory")->required();
    re->add_option("--config-id", ro.config_id, "the record to restore (switchyard devices history HOSTNAME)")
        ->required()
        ->check(id_range);
    re->add_flag("--live", ro.live, "push and commit (default: dry run, the diff back to the record)");
    re->add_flag("--force", ro.force, "restore even when the running config changed outside Switchyard");
    re->add_option("--confirm-mode", ro.confirm_mode,
                   "0: commit; 1: commit with a timer, confirm once the device answers again (default: the "
                   "server's sync.default_confirm_mode, 1 where it is 2)")
        ->check(CLI::Range(0, 1));
    re->add_option("--comment", ro.comment, "free text");
    re->add_option("--ticket-ref", ro.ticket_ref, "ticket reference");
    re->callback([&ctx] { restore(ctx, ro); });
}

}  // namespace switchyard::cli
