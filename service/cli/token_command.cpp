// `switchyard token`: prints an API bearer token signed with the data
// directory's secret (DIR/jwt-secret, created on first use).
#include "api/auth.h"
#include "api/token_ttl.h"
#include "cli_context.h"

#include <iostream>
#include <set>

namespace switchyard::cli {
namespace {

struct TokenOptions {
    std::string subject;
    std::vector<std::string> roles;
    std::string ttl = "8h";
};

void print_token(CliContext& ctx, const TokenOptions& o) {
    Settings settings = ctx.settings();
    std::set<api::Role> roles;
    for (const auto& name : o.roles) roles.insert(*api::parse_role(name));  // checked by IsMember
    auto config = api::load_auth_config(settings.data_dir, "");
    // Only the token on stdout, so that TOKEN=$(switchyard token ...) works.
    std::cout << api::issue_token(config, o.subject, roles, api::parse_token_ttl(o.ttl)) << "\n";
}

}  // namespace

void add_token_command(CLI::App& app, CliContext& ctx) {
    static TokenOptions to;
    auto* token = app.add_subcommand("token", "print an API bearer token signed with the data directory's secret");
    ctx.add_common_options(*token);
    token->add_option("--sub", to.subject, "who the token is for (jobs it creates are scheduled_by this)")
        ->required()
        ->check(CLI::Validator([](const std::string& s) { return s.empty() ? "--sub must not be empty" : ""; }, ""));
    token->add_option("--role", to.roles, "read, operator or admin (repeatable)")
        ->required()
        ->check(CLI::IsMember({"read", "operator", "admin"}));
    // Validated while parsing, so a bad --ttl is a usage error like any other.
    token->add_option("--ttl", to.ttl, "lifetime: Ns, Nm, Nh or Nd, at most 365d (default 8h)")
        ->check(CLI::Validator(
            [](const std::string& s) {
                try {
                    api::parse_token_ttl(s);
                    return std::string();
                } catch (const std::invalid_argument& e) {
                    return std::string(e.what());
                }
            },
            "DURATION"));
    token->callback([&ctx] { print_token(ctx, to); });
}

}  // namespace switchyard::cli
