#include "cli_context.h"

#include "masking_log_sink.h"
#include "store/embedded_postgres.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace switchyard::cli {
namespace {

// A secret kept in a file of its own (systemd credentials, Kubernetes
// secrets): its content without the trailing line break.
std::string read_secret_file(const std::string& path, const std::string& option) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(option + ": cannot read " + path);
    std::string value((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty()) throw std::runtime_error(option + ": " + path + " is empty");
    return value;
}

}  // namespace

void CliContext::add_common_options(CLI::App& command) {
    command.add_option("--config", config_file, "YAML config file holding any setting")->check(CLI::ExistingFile);
    command.add_option("--data-dir", data_dir, "data directory (embedded PostgreSQL in DIR/pg)");
    command.add_option(
        "--database-url", database_url,
        "external PostgreSQL (postgresql://...); default: the embedded store (env SWITCHYARD_DATABASE_URL; "
        "a URL with a password belongs in --database-url-file, the environment or PGPASSFILE)");
    command.add_option("--database-url-file", database_url_file, "read the external PostgreSQL's URL from FILE")
        ->check(CLI::ExistingFile);
    command.add_option("--log-level", log_level, "trace, debug, info, warn, error");
    command.add_option("--set", overrides, "override a setting: section.key=value (repeatable)");
}

void CliContext::add_api_options(CLI::App& command) {
    add_common_options(command);
    command.add_option("--api-url", api_url,
                       "the API, e.g. https://sy.example:8080 (env SWITCHYARD_API_URL; "
                       "default: the local serve of --data-dir)");
    command.add_option("--token", token,
                       "bearer token (env SWITCHYARD_TOKEN; default: minted from the local "
                       "data directory's secret when readable)");
}

CLI::App* CliContext::add_api_read_command(CLI::App& parent, const std::string& name, const std::string& description,
                                           std::function<void(bool as_json)> print) {
    auto* command = parent.add_subcommand(name, description);
    add_api_options(*command);
    // The flag lives as long as the callback that reads it, that is as the command.
    auto as_json = std::make_shared<bool>(false);
    command->add_flag("--json", *as_json, "the API's JSON");
    command->callback([as_json, print = std::move(print)] { print(*as_json); });
    return command;
}

Settings CliContext::settings() const {
    Settings s;
    if (!config_file.empty()) s.load_file(config_file);
    s.load_environment();
    if (!data_dir.empty()) s.data_dir = data_dir;
    if (!database_url.empty() && !database_url_file.empty())
        throw std::runtime_error("give --database-url or --database-url-file, not both");
    if (!database_url.empty()) s.database.url = database_url;
    if (!database_url_file.empty()) s.database.url = read_secret_file(database_url_file, "--database-url-file");
    if (!log_level.empty()) s.set("log_level", log_level);
    for (auto& o : overrides) {
        auto eq = o.find('=');
        if (eq == std::string::npos) throw std::runtime_error("--set wants section.key=value, not '" + o + "'");
        s.set(o.substr(0, eq), o.substr(eq + 1));
    }
    s.validate();
    return s;
}

ApiClient CliContext::api() const { return ApiClient(resolve_api_target(settings(), api_url, token)); }

void configure_logging(LogLevel level) {
    // Every message masked before it is written (logs leave the process).
    install_masking_logger(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(), std::string(to_string(level)));
}

std::string client_database_url(const Settings& settings) {
    if (!settings.database.url.empty()) return settings.database.url;
    store::EmbeddedPostgresOptions options;
    options.data_dir = settings.data_dir;
    options.run_as = settings.embedded.run_as;
    options.pg_bin_dir = settings.embedded.pg_bin_dir;
    store::EmbeddedPostgres pg(options);
    if (!std::filesystem::exists(pg.cluster_dir() + "/.s.PGSQL.5432"))
        throw std::runtime_error("no Switchyard store is running in " + settings.data_dir +
                                 ": start `switchyard serve --data-dir " + settings.data_dir +
                                 "` first, or pass --database-url");
    return pg.url();
}

}  // namespace switchyard::cli

namespace switchyard::cli {

void open_store(const Settings& settings, OwnedStore& out) {
    out.url = settings.database.url;
    if (!out.url.empty()) return;
    out.dir_lock.emplace(settings.data_dir);
    out.embedded.emplace(store::EmbeddedPostgresOptions{
        settings.data_dir, settings.embedded.run_as, settings.embedded.pg_bin_dir,
        static_cast<int>(settings.embedded.start_timeout_seconds.count()), settings.embedded.max_connections, false});
    out.embedded->start();
    out.url = out.embedded->url();
}

}  // namespace switchyard::cli
