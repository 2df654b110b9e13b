// `switchyard locks list|clear NAME`: straight to the database.
#include "cli_context.h"
#include "locks/lock_store.h"
#include "store/database.h"

#include <iomanip>
#include <iostream>

namespace switchyard::cli {

void add_locks_commands(CLI::App& app, CliContext& ctx) {
    auto* locks_cmd = app.add_subcommand("locks", "named job locks");
    locks_cmd->require_subcommand(1);

    auto* list = locks_cmd->add_subcommand("list", "list held locks");
    ctx.add_common_options(*list);
    list->callback([&ctx] {
        Settings settings = ctx.settings();
        auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
        pqxx::read_transaction tx(*conn);
        auto all = locks::list(tx);
        if (all.empty()) {
            std::cout << "no locks held\n";
            return;
        }
        std::cout << std::left << std::setw(24) << "NAME" << std::setw(10) << "JOB" << std::setw(36) << "SINCE"
                  << "ABORT\n";
        for (auto& l : all)
            std::cout << std::setw(24) << l.name << std::setw(10) << l.job_id << std::setw(36) << l.start_time
                      << (l.abort ? "yes" : "no") << "\n";
    });

    static std::string name;
    auto* clear = locks_cmd->add_subcommand("clear", "clear a lock by hand (make sure its job is not running)");
    ctx.add_common_options(*clear);
    clear->add_option("name", name, "lock name")->required();
    clear->callback([&ctx] {
        Settings settings = ctx.settings();
        auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
        pqxx::work tx(*conn);
        auto job = locks::clear(tx, name);
        tx.commit();
        if (!job) {
            std::cerr << "no lock named '" << name << "'\n";
            ctx.exit_code = 1;
            return;
        }
        std::cout << "cleared lock '" << name << "' (held by job " << *job << ")\n";
    });
}

}  // namespace switchyard::cli
