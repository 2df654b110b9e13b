// `switchyard devices host-keys list | forget HOSTNAME`: the SSH host keys
// remembered under ssh.host_key_policy accept-new, through the admin API
// (GET /host_keys, DELETE /host_keys/<hostname>). Forget a key once a device
// was really re-keyed: its next connection trusts the key it shows then.
#include "api_client.h"
#include "cli_context.h"
#include "devices/inventory.h"

#include <cstdio>
#include <iostream>

namespace switchyard::cli {
namespace {

using nlohmann::json;

void list(CliContext& ctx, bool as_json) {
    auto keys = ctx.api().get("/api/v1.0/host_keys")["host_keys"];
    if (as_json) {
        std::cout << keys.dump(2) << "\n";
        return;
    }
    std::printf("%-24s %-22s %-52s %s\n", "HOSTNAME", "TYPE", "FINGERPRINT", "FIRST SEEN");
    for (auto& k : keys)
        std::printf("%-24s %-22s %-52s %s\n", text_of(k["hostname"]).c_str(), text_of(k["key_type"]).c_str(),
                    text_of(k["fingerprint"]).c_str(), text_of(k["first_seen"]).c_str());
    std::printf("(%zu host keys)\n", keys.size());
}

void forget(CliContext& ctx, const std::string& hostname) {
    // Checked first so the name can neither leave its path segment nor be
    // refused with a vaguer message.
    if (auto err = devices::hostname_error(hostname); !err.empty())
        throw std::runtime_error("hostname '" + hostname + "': " + err);
    auto gone = ctx.api().del("/api/v1.0/host_keys/" + hostname, json::object());
    std::cout << "forgot the host key of " << hostname << " (" << text_of(gone["key_type"]) << " "
              << text_of(gone["fingerprint"]) << "); its next connection trusts the key it shows\n";
}

}  // namespace

void add_host_key_commands(CLI::App& devices_command, CliContext& ctx) {
    auto* keys = devices_command.add_subcommand("host-keys", "SSH host keys remembered on first use (accept-new)");
    keys->require_subcommand(1);

    ctx.add_api_read_command(*keys, "list", "list remembered host keys", [&ctx](bool as_json) { list(ctx, as_json); });

    static std::string hostname;
    auto* fg = keys->add_subcommand("forget", "forget a device's host key (after checking it was really re-keyed)");
    ctx.add_api_options(*fg);
    fg->add_option("hostname", hostname, "the device")->required();
    fg->callback([&ctx] { forget(ctx, hostname); });
}

}  // namespace switchyard::cli
