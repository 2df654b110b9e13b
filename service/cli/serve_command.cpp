// `switchyard serve`: the service process.
#include "api/api_server.h"
#include "api_client.h"
#include "malloc_tuning.h"
#include "shutdown_watchdog.h"

#include <filesystem>
#include <fstream>
#include "cli_context.h"
#include "engine/engine.h"
#include "host_key_access.h"
#include "store/data_dir_lock.h"
#include "store/database.h"
#include "store/embedded_postgres.h"
#include "store/embedded_scheduling.h"
#include "store/migrator.h"
#include "sync_access.h"

#include <spdlog/spdlog.h>
#include <csignal>
#include <optional>

namespace switchyard::cli {
namespace {

// Local client commands find the API through this file.
void write_api_url(const Settings& settings, int port) {
    std::string host = settings.listen.substr(0, settings.listen.rfind(':'));
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::" || host == "[::]") host = "[::1]";
    std::string scheme = settings.api.tls_cert_file.empty() ? "http" : "https";
    std::string path = api_url_file(settings.data_dir), tmp = path + ".tmp";
    std::ofstream(tmp) << scheme << "://" << host << ":" << port << "\n";
    std::filesystem::rename(tmp, path);
}

int serve(CliContext& ctx, const std::string& listen) {
    Settings settings = ctx.settings();
    if (!listen.empty()) settings.listen = listen;
    warn_if_host_keys_unchecked(settings, "serve");

    // Block the stop signals in every thread; the main thread waits for them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    tune_malloc_for_serve(settings);

    OwnedStore owned;
    open_store(settings, owned);
    auto& embedded = owned.embedded;
    const std::string& url = owned.url;
    if (embedded) {
        spdlog::info("embedded PostgreSQL running in {}", embedded->cluster_dir());
        if (auto warning = store::autogroup_warning(store::read_cpu_scheduling())) spdlog::warn("{}", *warning);
    }
    {
        auto conn = store::connect(url, settings.database.connect_timeout_seconds);
        auto report = store::migrate(*conn);
        spdlog::info("database schema at version {} ({} migration(s) applied now)", report.version,
                     report.applied.size());
    }

    ctx.sync_environment = make_sync_environment(settings, url);
    engine::Engine engine(settings, ctx.registry, url);
    engine.start();
    api::ApiContext api_context(settings, ctx.registry, url,
                                api::load_auth_config(settings.data_dir, settings.api.jwt_public_key_file));
    api::ApiServer api_server(api_context);
    api_server.start(settings.listen);
    write_api_url(settings, api_server.port());
    spdlog::info("switchyard serving (store: {}); stop with Ctrl-C or SIGTERM",
                 embedded ? "embedded in " + settings.data_dir : mask_database_url(url));

    int signal = 0;
    sigwait(&stop_signals, &signal);
    const auto& jobs = settings.jobs;
    spdlog::info("received {}; shutting down (running jobs get {} s to finish, then {} s to abort)",
                 signal == SIGINT ? "SIGINT" : "SIGTERM", jobs.shutdown_grace_seconds.count(),
                 jobs.shutdown_abort_seconds.count());
    // The engine bounds its own stop; the watchdog bounds the rest (an HTTP
    // client, a database that does not answer, the embedded PostgreSQL).
    ShutdownWatchdog watchdog(jobs.shutdown_grace_seconds + 3 * jobs.shutdown_abort_seconds, 1);
    api_server.stop();
    bool engine_clean = engine.stop();
    if (embedded) embedded->stop();
    spdlog::info("stopped");
    if (!engine_clean) {
        // Threads are still inside tasks that never stopped: leave without
        // the static destructors they could race.
        spdlog::default_logger()->flush();
        std::fflush(nullptr);
        std::_Exit(0);
    }
    return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, CliContext& ctx) {
    auto* cmd = app.add_subcommand("serve", "run the service: job engine (and embedded store unless --database-url)");
    ctx.add_common_options(*cmd);
    static std::string listen;
    cmd->add_option("--listen", listen, "address:port for the API");
    cmd->callback([&ctx] { ctx.exit_code = serve(ctx, listen); });
}

}  // namespace switchyard::cli
