// `switchyard devices import FILE | list | fetch HOSTNAME...`: the inventory,
// straight to the database, and an operator's quick look at devices.
#include "cli_context.h"
#include "device_access.h"
#include "devices/device_store.h"
#include "devices/fetch.h"
#include "devices/pg_host_key_store.h"
#include "progress_bar.h"
#include "store/database.h"

#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>

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
                    std::string(devices::to_string(d.platform)).c_str(), std::string(devices::to_string(d.device_type)).c_str(),
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
    devices::PgHostKeyStore host_keys(*keys_conn);
    auto ssh = ssh_options(settings);
    ssh.host_key_store = &host_keys;
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
                std::cout << "### " << r.hostname << " (" << r.confhash.substr(0, 12) << ")\n" << r.config;
                if (!r.config.empty() && r.config.back() != '\n') std::cout << "\n";
            } else {
                ++failures;
                std::cerr << r.hostname << ": " << r.error << "\n";
            }
        }
    }
    bar.finish();
    if (failures) ctx.exit_code = 1;
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

    static std::vector<std::string> hosts;
    auto* fe = dev->add_subcommand("fetch", "connect to devices and print their normalised running config");
    ctx.add_common_options(*fe);
    fe->add_option("hostname", hosts, "devices from the inventory")->required();
    fe->callback([&ctx] { fetch(ctx, hosts); });
}

}  // namespace switchyard::cli
