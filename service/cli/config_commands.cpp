// `switchyard config show`: the effective settings, secrets masked.
// `switchyard config reference`: every setting as the README's table.
#include "cli_context.h"

#include <iostream>

namespace switchyard::cli {

void add_config_commands(CLI::App& app, CliContext& ctx) {
    auto* config = app.add_subcommand("config", "settings");
    config->require_subcommand(1);
    auto* show = config->add_subcommand("show", "print the effective settings (secrets masked)");
    ctx.add_common_options(*show);
    show->callback([&ctx] { std::cout << ctx.settings().to_yaml_masked(); });
    auto* reference = config->add_subcommand(
        "reference", "print every setting: type, default, range, environment variable, what it does (Markdown)");
    reference->callback([] { std::cout << Settings::reference_table(); });
}

}  // namespace switchyard::cli
