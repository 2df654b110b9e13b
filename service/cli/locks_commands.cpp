// `switchyard locks list|clear NAME`, through the API.
#include "api_client.h"
#include "cli_context.h"

#include <cstdio>
#include <iostream>

namespace switchyard::cli {

void add_locks_commands(CLI::App& app, CliContext& ctx) {
    auto* locks_cmd = app.add_subcommand("locks", "named job locks");
    locks_cmd->require_subcommand(1);

    ctx.add_api_read_command(*locks_cmd, "list", "list held locks", [&ctx](bool as_json) {
        auto data = ctx.api().get("/api/v1.0/joblocks");
        if (as_json) {
            std::cout << data.dump(2) << "\n";
            return;
        }
        if (data["locks"].empty()) {
            std::cout << "no locks held\n";
            return;
        }
        std::printf("%-24s %-10s %-34s %s\n", "NAME", "JOB", "SINCE", "ABORT");
        for (auto& l : data["locks"])
            std::printf("%-24s %-10s %-34s %s\n", l["name"].get<std::string>().c_str(), l["job_id"].dump().c_str(),
                        l["start_time"].get<std::string>().c_str(), l["abort"].get<bool>() ? "yes" : "no");
    });

    static std::string name;
    auto* clear = locks_cmd->add_subcommand("clear", "clear a lock by hand (make sure its job is not running)");
    ctx.add_api_options(*clear);
    clear->add_option("name", name, "lock name")->required();
    clear->callback([&ctx] {
        auto data = ctx.api().del("/api/v1.0/joblocks", {{"name", name}});
        std::cout << "cleared lock '" << name << "' (held by job " << data["job_id"].dump() << ")\n";
    });
}

}  // namespace switchyard::cli
