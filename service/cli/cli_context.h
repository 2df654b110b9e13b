// What every command shares: the settings (config file, environment, flags)
// and how to reach the database.
#pragma once

#include "api_client.h"
#include "settings.h"
#include "store/data_dir_lock.h"
#include "store/embedded_postgres.h"
#include "tasks/sync_environment.h"
#include "tasks/task_registry.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::cli {

struct CliContext {
    std::string config_file;
    std::string data_dir;
    std::string database_url;
    std::string database_url_file;  // --database-url-file: the URL, kept out of argv
    std::string log_level;
    std::vector<std::string> overrides;  // --set section.key=value
    std::string api_url;                 // --api-url (client commands)
    std::string token;                   // --token (client commands)

    tasks::TaskRegistry registry;
    int exit_code = 0;
    // Set by `serve` once settings and database are known; sync jobs use it.
    std::shared_ptr<tasks::SyncEnvironment> sync_environment;  // set by commands whose outcome is not an exception

    // Adds --config, --data-dir, --database-url(-file), --log-level and --set to a command.
    void add_common_options(CLI::App& command);
    // Adds the common options plus --api-url and --token (commands that talk to the API).
    void add_api_options(CLI::App& command);
    // A subcommand of `parent` that reads from the API (add_api_options) and
    // prints what it read as text, or with --json as the API's JSON: `print`
    // is told which.
    CLI::App* add_api_read_command(CLI::App& parent, const std::string& name, const std::string& description,
                                   std::function<void(bool as_json)> print);
    // Defaults, then the config file, the environment, then flags; validated.
    Settings settings() const;
    // A client of the API the --api-url/--token options (or settings) point at.
    ApiClient api() const;
};

// Sets up logging to stderr at the given level.
void configure_logging(LogLevel level);

// The URL of the database a client command should use: the configured one,
// or the embedded cluster of a running `serve` on the data directory. Throws
// with advice when neither is there.
std::string client_database_url(const Settings& settings);

// The store a server-side command owns: the external database, or the
// embedded cluster (data directory locked, PostgreSQL started) until destroyed.
struct OwnedStore {
    std::optional<store::DataDirLock> dir_lock;
    std::optional<store::EmbeddedPostgres> embedded;
    std::string url;
};
void open_store(const Settings& settings, OwnedStore& out);

void add_serve_command(CLI::App& app, CliContext& ctx);
void add_db_commands(CLI::App& app, CliContext& ctx);
void add_config_commands(CLI::App& app, CliContext& ctx);
void add_jobs_commands(CLI::App& app, CliContext& ctx);
void add_schedules_commands(CLI::App& app, CliContext& ctx);
void add_locks_commands(CLI::App& app, CliContext& ctx);
void add_token_command(CLI::App& app, CliContext& ctx);
void add_devices_commands(CLI::App& app, CliContext& ctx);
// `devices history|config|diff`, under the `devices` command.
void add_device_history_commands(CLI::App& devices_command, CliContext& ctx);
// `devices host-keys list|forget`, under the `devices` command.
void add_host_key_commands(CLI::App& devices_command, CliContext& ctx);
void add_render_command(CLI::App& app, CliContext& ctx);

}  // namespace switchyard::cli
