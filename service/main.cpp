// switchyard: the network-automation job service, and its command line.
#include "cli/argv_secrets.h"
#include "cli/cli_context.h"
#include "devices/secret_masker.h"
#include "version.h"

#include <spdlog/spdlog.h>
#include <iostream>

#ifdef SWITCHYARD_FAULT_TASKS  // the test binary switchyard-faulty only
#include "fault_tasks.h"
#endif

int main(int argc, char** argv) {
    using namespace switchyard;
    cli::CliContext ctx;
    tasks::register_builtin_tasks(ctx.registry);
    tasks::register_sync_tasks(ctx.registry, [&ctx] { return ctx.sync_environment; });
#ifdef SWITCHYARD_FAULT_TASKS
    testing::register_fault_tasks(ctx.registry);
#endif

    CLI::App app{"Switchyard: durable jobs that push configuration to network devices"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("switchyard ") + version());
    cli::add_serve_command(app, ctx);
    cli::add_db_commands(app, ctx);
    cli::add_config_commands(app, ctx);
    cli::add_jobs_commands(app, ctx);
    cli::add_schedules_commands(app, ctx);
    cli::add_locks_commands(app, ctx);
    cli::add_token_command(app, ctx);
    cli::add_devices_commands(app, ctx);
    cli::add_render_command(app, ctx);

    // Logging must be set up before a command runs: parse_complete_callback
    // runs after parsing, before the subcommand callbacks.
    app.parse_complete_callback([&ctx, argc, argv] {
        try {
            cli::configure_logging(ctx.settings().log_level);
        } catch (const std::exception&) {
            cli::configure_logging(LogLevel::info);  // the command itself reports the bad setting
        }
        for (auto& warning : cli::blank_secrets_in_argv(argc, argv)) spdlog::warn("{}", warning);
    });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "switchyard: " << devices::safe_text(e.what()) << "\n";
        return 1;
    }
    return ctx.exit_code;
}
