// switchyard-sim: serves simulated frr/eos/junos devices over SSH for tests.
// See README.md beside this file.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "control.h"
#include "server.h"
#include "sim_config.h"

namespace {

std::vector<sim::Platform> parse_platform_list(const std::string& csv) {
    std::vector<sim::Platform> out;
    std::stringstream ss(csv);
    std::string item;
    while (std::getline(ss, item, ',')) out.push_back(sim::parse_platform(item));
    if (out.empty()) throw std::invalid_argument("--platforms is empty");
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"switchyard-sim: simulated network devices (frr, eos, junos) over SSH"};
    std::string config_file, platforms = "frr", state_dir = "sim-state", inventory, known_hosts, control,
                             authorized_keys;
    std::string listen = "127.0.0.1", ctl_request;
    sim::Shortcut shortcut;
    double confirm_minute_seconds = -1;
    std::vector<std::string> faults;
    app.add_option("--config", config_file, "YAML or JSON file listing devices");
    app.add_option("--devices", shortcut.count, "Generate N devices (in addition to --config)");
    app.add_option("--base-port", shortcut.base_port, "First port of the generated devices");
    app.add_option("--platforms", platforms, "Comma-separated platforms, assigned round-robin (frr,eos,junos)");
    app.add_option("--latency-ms", shortcut.latency_ms, "Per-command latency of generated devices");
    app.add_option("--config-lines", shortcut.config_lines,
                   "Generated devices get a realistic config of about N lines (interfaces, VLANs, prefix lists, BGP)");
    app.add_option("--hostname-prefix", shortcut.prefix, "Hostname prefix of generated devices (PREFIX0001...)");
    app.add_option("--username", shortcut.username, "Login of generated devices");
    app.add_option("--password", shortcut.password, "Password of generated devices");
    app.add_option("--state-dir", state_dir, "Directory for host keys, configs, inventory, control socket");
    app.add_option("--inventory", inventory, "Inventory JSON path (default STATE/inventory.json)");
    app.add_option("--known-hosts", known_hosts, "known_hosts path (default STATE/known_hosts)");
    app.add_option("--control", control, "Control socket path (default STATE/control.sock)");
    app.add_option("--authorized-keys", authorized_keys,
                   "Public keys accepted for every device (authorized_keys format)");
    app.add_option("--listen", listen, "IPv4 address to listen on");
    app.add_option("--confirm-minute-seconds", confirm_minute_seconds,
                   "Seconds per minute for junos `commit confirmed N` (default 60)");
    app.add_option("--fault", faults, "HOST:FAULT[=ARG], repeatable (see README for fault names)");
    app.add_option("--ctl", ctl_request,
                   "Send one JSON control request to --control (or STATE/control.sock), print the reply, exit");
    CLI11_PARSE(app, argc, argv);

    try {
        if (!ctl_request.empty()) {
            std::string path = control.empty() ? state_dir + "/control.sock" : control;
            auto reply = sim::control_request(path, nlohmann::json::parse(ctl_request));
            std::cout << reply.dump() << "\n";
            return reply.value("ok", false) ? 0 : 1;
        }
        sim::SimOptions opts;
        opts.state_dir = state_dir;
        if (!config_file.empty()) sim::load_config_file(config_file, opts);
        if (app.count("--state-dir")) opts.state_dir = state_dir;
        if (!inventory.empty()) opts.inventory = inventory;
        if (!known_hosts.empty()) opts.known_hosts = known_hosts;
        if (!control.empty()) opts.control = control;
        if (!authorized_keys.empty()) opts.authorized_keys = authorized_keys;
        if (app.count("--listen")) opts.listen_address = listen;
        if (confirm_minute_seconds > 0) opts.confirm_minute_seconds = confirm_minute_seconds;
        if (shortcut.count > 0) {
            if (shortcut.base_port <= 0) throw std::invalid_argument("--devices needs --base-port");
            shortcut.platforms = parse_platform_list(platforms);
            sim::add_shortcut_devices(shortcut, opts);
        }
        for (const auto& f : faults) sim::apply_fault_option(f, opts);
        sim::Server server(std::move(opts));
        return server.run();
    } catch (const std::exception& e) {
        std::cerr << "switchyard-sim: " << e.what() << "\n";
        return 2;
    }
}
