// `switchyard config show`: the effective settings, secrets masked.
#include "cli_context.h"

#include <iostream>

namespace switchyard::cli {

void add_config_commands(CLI::App& app, CliContext& ctx) {
    auto* config = app.add_subcommand("config", "settings");
    config->require_subcommand(1);
    auto* show = config->add_subcommand("show", "print the effective settings (secrets masked)");
    ctx.add_common_options(*show);
    show->callback([&ctx] { std::cout << ctx.settings().to_yaml_masked(); });
}

}  // namespace switchyard::cli
