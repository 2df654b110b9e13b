// `switchyard db migrate`: apply the schema migrations and exit.
#include "cli_context.h"
#include "store/data_dir_lock.h"
#include "store/database.h"
#include "store/embedded_postgres.h"
#include "store/migrator.h"

#include <iostream>
#include <optional>

namespace switchyard::cli {

void add_db_commands(CLI::App& app, CliContext& ctx) {
    auto* db = app.add_subcommand("db", "database maintenance");
    db->require_subcommand(1);
    auto* migrate = db->add_subcommand("migrate", "apply pending schema migrations");
    ctx.add_common_options(*migrate);
    migrate->callback([&ctx] {
        Settings settings = ctx.settings();
        // The embedded store is started just for the migration; its data
        // directory lock makes sure no `serve` is using it meanwhile.
        OwnedStore owned;
        open_store(settings, owned);
        const std::string& url = owned.url;
        auto conn = store::connect(url, settings.database.connect_timeout_seconds);
        auto report = store::migrate(*conn);
        for (auto& f : report.applied) std::cout << "applied " << f << "\n";
        std::cout << "schema at version " << report.version << (report.applied.empty() ? " (nothing to do)" : "")
                  << "\n";
    });
}

}  // namespace switchyard::cli
