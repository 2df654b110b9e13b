// `switchyard devices import FILE | list | fetch HOSTNAME...`: the inventory,
// straight to the database, and an operator's quick look at devices;
// `devices sync` and `devices backup` schedule device jobs through the API.
#include "api_client.h"
#include "cli_context.h"
#include "device_access.h"
#include "devices/device_store.h"
#include "devices/fetch.h"
#include "devices/secret_masker.h"
#include "host_key_access.h"
#include "progress_bar.h"
#include "store/database.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

namespace switchyard::cli {
namespace {

void import_file(CliContext& ctx, const std::string& path) {
    Settings settings = ctx.settings();
    auto parsed = devices::load_inventory_file(path);  // a bad entry rejects the file, naming entry and field
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    auto counts = devices::DeviceStore(*conn).upsert_all(parsed);
    std::cout << "imported " << parsed.size() << " device(s) from " << path << ": " << counts.inserted << " new, "
              << counts.updated << " updated\n";
}

void list(CliContext& ctx) {
    Settings settings = ctx.settings();
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    auto all = devices::DeviceStore(*conn).list();
    std::printf("%-24s %-16s %-6s %-7s %-8s %-10s %-6s %s\n", "HOSTNAME", "MANAGEMENT_IP", "PORT", "PLATFORM", "TYPE",
                "STATE", "SYNC", "GROUPS");
    for (auto& d : all) {
        std::string groups;
        for (auto& g : d.groups) groups += (groups.empty() ? "" : ",") + g;
        std::printf("%-24s %-16s %-6u %-7s %-8s %-10s %-6s %s\n", d.hostname.c_str(), d.management_ip.c_str(), d.port,
                    std::string(devices::to_string(d.platform)).c_str(),
                    std::string(devices::to_string(d.device_type)).c_str(),
                    std::string(devices::to_string(d.state)).c_str(), d.synchronized ? "yes" : "no", groups.c_str());
    }
    std::printf("(%zu devices)\n", all.size());
}

void fetch(CliContext& ctx, const std::vector<std::string>& hostnames) {
    Settings settings = ctx.settings();
    std::string url = client_database_url(settings);
    auto conn = store::connect(url, settings.database.connect_timeout_seconds);
    devices::DeviceStore store(*conn);
    std::vector<devices::Device> wanted;
    for (auto& h : hostnames) {
        auto d = store.get(h);
        if (!d) throw std::runtime_error("no device named '" + h + "' in the inventory (switchyard devices list)");
        wanted.push_back(*d);
    }
    auto keys_conn = store::connect(url, settings.database.connect_timeout_seconds);
    auto host_keys = open_host_key_store(*keys_conn);
    warn_if_host_keys_unchecked(settings, "devices fetch");
    auto ssh = ssh_options(settings);
    ssh.host_key_store = host_keys.get();
    ProgressBar bar(std::cerr);
    std::size_t done = 0;
    std::mutex m;
    int failures = 0;
    // The fan-out pool takes one login: devices with the same login go together.
    std::map<std::string, std::vector<devices::Device>> by_login;
    std::map<std::string, devices::Credentials> logins;
    for (auto& d : wanted) {
        auto c = credentials_for(settings, d);
        std::string key = c.username + '\0' + c.password + '\0' + c.key_file + '\0' + c.key_passphrase;
        by_login[key].push_back(d);
        logins[key] = c;
    }
    for (auto& [key, group] : by_login) {
        auto results = devices::fetch_running_configs(group, logins[key], ssh, fanout_options(settings),
                                                      [&](const devices::FetchResult&) {
                                                          std::lock_guard lock(m);
                                                          bar.draw("fetching", ++done, wanted.size());
                                                      });
        for (auto& r : results) {
            if (r.ok) {
                const std::string config = devices::safe_text(r.config);
                std::cout << "### " << r.hostname << " (" << r.confhash.substr(0, 12) << ")\n" << config;
                if (!config.empty() && config.back() != '\n') std::cout << "\n";
            } else {
                ++failures;
                std::cerr << r.hostname << ": " << devices::safe_text(r.error) << "\n";
            }
        }
    }
    bar.finish();
    if (failures) ctx.exit_code = 1;
}

// Which devices a device job is about, and its labels: the options `devices
// sync` and `devices backup` share, written into the request body.
struct JobRequestOptions {
    std::string hostname, device_type, group;
    bool all = false;
    std::string comment, ticket_ref;

    void add_to(CLI::App& command) {
        auto* sel = command.add_option_group("selector", "which devices");
        sel->add_option("--hostname", hostname, "one device");
        sel->add_option("--device-type", device_type, "ACCESS, DIST, CORE or UNKNOWN");
        sel->add_option("--group", group, "a group");
        sel->add_flag("--all", all, "every managed device");
        sel->require_option(1);
        command.add_option("--comment", comment, "free text");
        command.add_option("--ticket-ref", ticket_ref, "ticket reference");
    }
    void write(nlohmann::json& body) const {
        if (!hostname.empty()) body["hostname"] = hostname;
        if (!device_type.empty()) body["device_type"] = device_type;
        if (!group.empty()) body["group"] = group;
        if (all) body["all"] = true;
        if (!comment.empty()) body["comment"] = comment;
        if (!ticket_ref.empty()) body["ticket_ref"] = ticket_ref;
    }
};

// POSTs a request that schedules a job; prints what was scheduled (stderr)
// and the job id (stdout).
void schedule_job(CliContext& ctx, const std::string& path, const nlohmann::json& body) {
    auto api = ctx.api();
    std::string total;
    auto reply = api.post_raw(path, body, &total);
    std::cerr << reply["data"].get<std::string>() << " (" << total << " devices): job " << reply["job_id"] << "\n";
    std::cout << reply["job_id"] << "\n";
}

struct SyncOptions {
    JobRequestOptions request;
    bool live = false, force = false, resync = false, auto_push = false, confirm_all_or_nothing = false;
    // Not given: the server's sync.default_confirm_mode (the API applies it).
    std::optional<int> confirm_mode;
    // A staged rollout: "1,10,25%,rest" and its budget and pauses (the
    // server checks them: tasks/rollout.h).
    std::string batches, max_failed;
    std::optional<std::int64_t> pause_seconds;
    bool pause_after_first = false;
};

// "1,10,25%,rest" as the API's list: whole numbers as numbers, the rest as
// written (the server says what is wrong with an entry).
nlohmann::json rollout_entry(const std::string& text) {
    bool number = !text.empty() && text.size() <= 18 &&
                  std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (number) return std::stoll(text);
    return text;
}

nlohmann::json rollout_body(const SyncOptions& o) {
    nlohmann::json batches = nlohmann::json::array();
    std::stringstream in(o.batches);
    for (std::string entry; std::getline(in, entry, ',');) batches.push_back(rollout_entry(entry));
    nlohmann::json rollout = {{"batches", batches}};
    if (!o.max_failed.empty()) rollout["max_failed"] = rollout_entry(o.max_failed);
    if (o.pause_seconds) rollout["pause_seconds"] = *o.pause_seconds;
    if (o.pause_after_first) rollout["pause_after_first"] = true;
    return rollout;
}

void sync(CliContext& ctx, const SyncOptions& o) {
    nlohmann::json body = {{"dry_run", !o.live}, {"force", o.force}, {"resync", o.resync}};
    if (o.confirm_mode) body["confirm_mode"] = *o.confirm_mode;
    if (o.confirm_all_or_nothing) body["confirm_all_or_nothing"] = true;
    if (!o.batches.empty()) body["rollout"] = rollout_body(o);
    o.request.write(body);
    if (o.auto_push) body["auto_push"] = true;
    schedule_job(ctx, "/api/v1.0/device_syncto", body);
}

void backup(CliContext& ctx, const JobRequestOptions& o) {
    nlohmann::json body = nlohmann::json::object();
    o.write(body);
    schedule_job(ctx, "/api/v1.0/device_backup", body);
}

}  // namespace

void add_devices_commands(CLI::App& app, CliContext& ctx) {
    auto* dev = app.add_subcommand("devices", "the device inventory");
    dev->require_subcommand(1);

    static std::string file;
    auto* imp = dev->add_subcommand("import", "create or update devices from a YAML or JSON list, all or nothing");
    ctx.add_common_options(*imp);
    imp->add_option("file", file, "YAML or JSON list of devices")->required()->check(CLI::ExistingFile);
    imp->callback([&ctx] { import_file(ctx, file); });

    auto* ls = dev->add_subcommand("list", "list the inventory");
    ctx.add_common_options(*ls);
    ls->callback([&ctx] { list(ctx); });

    static SyncOptions so;
    auto* sy = dev->add_subcommand("sync", "schedule a sync job (a dry run unless --live) and print its id");
    ctx.add_api_options(*sy);
    so.request.add_to(*sy);
    sy->add_flag("--live", so.live, "push and commit (default: dry run)");
    sy->add_flag("--force", so.force, "overwrite changes made outside Switchyard");
    sy->add_flag("--resync", so.resync, "include devices already synchronized");
    sy->add_flag("--auto-push", so.auto_push, "dry run of one --hostname; push it when its change score is low");
    sy->add_option("--confirm-mode", so.confirm_mode,
                   "0: commit; 1: commit with a timer, confirm once the device answers again; "
                   "2: commit with a timer on all devices, then a confirm_devices job "
                   "(default: the server's sync.default_confirm_mode)")
        ->check(CLI::Range(0, 2));
    sy->add_flag("--confirm-all-or-nothing", so.confirm_all_or_nothing,
                 "with --confirm-mode 2: one device failing rolls every device back, none is confirmed");
    auto* batches = sy->add_option("--batches", so.batches,
                                   "with --live: push in batches, e.g. 1,10,25%,rest (a count, a percentage of the "
                                   "devices to push, rest last; without rest the last size repeats)");
    sy->add_option("--max-failed", so.max_failed,
                   "devices that may fail (a count or N%) before no further batch starts (default 0)")
        ->needs(batches);
    sy->add_option("--pause-seconds", so.pause_seconds, "wait between two batches")->needs(batches);
    sy->add_flag("--pause-after-first", so.pause_after_first,
                 "suspend after the first batch until `switchyard jobs resume ID`")
        ->needs(batches);
    sy->callback([&ctx] { sync(ctx, so); });

    static JobRequestOptions bo;
    auto* bu = dev->add_subcommand(
        "backup", "schedule a backup_configs job (running configs into config history) and print its id");
    ctx.add_api_options(*bu);
    bo.add_to(*bu);
    bu->callback([&ctx] { backup(ctx, bo); });

    static std::vector<std::string> hosts;
    auto* fe = dev->add_subcommand("fetch", "connect to devices and print their normalised running config");
    ctx.add_common_options(*fe);
    fe->add_option("hostname", hosts, "devices from the inventory")->required();
    fe->callback([&ctx] { fetch(ctx, hosts); });

    add_device_history_commands(*dev, ctx);
    add_host_key_commands(*dev, ctx);
}

}  // namespace switchyard::cli
