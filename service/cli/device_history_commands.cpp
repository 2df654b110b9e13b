// `switchyard devices history | config | diff HOSTNAME`: a device's config
// history through the API (GET /device/<hostname>/configs...), secrets masked
// by the API.
#include "api_client.h"
#include "cli_context.h"
#include "devices/config_history.h"
#include "devices/inventory.h"

#include <cstdio>
#include <iostream>
#include <limits>

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
}

}  // namespace switchyard::cli
