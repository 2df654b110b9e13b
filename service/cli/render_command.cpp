// `switchyard render HOSTNAME [--settings]`: the intended config of a device,
// printed locally, for template authors.
#include "cli_context.h"
#include "devices/device_store.h"
#include "devices/secret_masker.h"
#include "store/database.h"
#include "templates/render.h"

#include <iostream>

namespace switchyard::cli {

void add_render_command(CLI::App& app, CliContext& ctx) {
    static std::string hostname;
    static bool show_settings = false;
    auto* cmd = app.add_subcommand("render", "print the config Switchyard would push to a device");
    ctx.add_common_options(*cmd);
    cmd->add_option("hostname", hostname, "a device from the inventory")->required();
    cmd->add_flag("--settings", show_settings, "print the layered settings the templates see instead");
    cmd->callback([&ctx] {
        Settings settings = ctx.settings();
        auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
        auto device = devices::DeviceStore(*conn).get(hostname);
        if (!device) throw std::runtime_error("no device named '" + hostname + "' in the inventory");
        templates::RenderSources sources;
        if (!settings.sync.templates_dir.empty()) sources.templates_dir = settings.sync.templates_dir;
        if (!settings.sync.settings_dir.empty()) sources.settings_dir = settings.sync.settings_dir;
        // Secrets masked: the command shows what would be pushed, not the secrets.
        if (show_settings)
            std::cout << devices::safe_json(templates::layered_settings(*device, sources.settings_dir)).dump(2) << "\n";
        else std::cout << devices::safe_text(templates::render_device_config(*device, sources));
    });
}

}  // namespace switchyard::cli
