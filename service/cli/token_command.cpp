// `switchyard token`: prints an API bearer token signed with the data
// directory's secret (DIR/jwt-secret, created on first use); with --link, a
// one-time dashboard sign-in link instead (the token is minted by the
// service when the link is opened, and never printed).
#include "api/auth.h"
#include "api/login_links.h"
#include "api/token_ttl.h"
#include "api_client.h"
#include "cli_context.h"
#include "store/database.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

namespace switchyard::cli {
namespace {

struct TokenOptions {
    std::string subject;
    std::vector<std::string> roles;
    std::string ttl = "8h";
    bool link = false;
    std::string link_ttl = "5m";
    std::string api_url;
};

// The dashboard's address: --api-url, SWITCHYARD_API_URL, or where the local
// serve listens (DATA_DIR/api-url).
std::string dashboard_url(const Settings& settings, const std::string& flag) {
    std::string url = flag;
    if (url.empty())
        if (const char* env = std::getenv("SWITCHYARD_API_URL")) url = env;
    if (url.empty()) {
        std::ifstream in(api_url_file(settings.data_dir));
        std::getline(in, url);
    }
    if (url.empty())
        throw std::runtime_error("where is the dashboard? run this next to a `switchyard serve --data-dir " +
                                 settings.data_dir + "`, or give --api-url");
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

void print_token(CliContext& ctx, const TokenOptions& o) {
    Settings settings = ctx.settings();
    std::set<api::Role> roles;
    for (const auto& name : o.roles) roles.insert(*api::parse_role(name));  // checked by IsMember
    auto ttl = api::parse_token_ttl(o.ttl);
    if (!o.link) {
        auto config = api::load_auth_config(settings.data_dir, "");
        // Only the token on stdout, so that TOKEN=$(switchyard token ...) works.
        std::cout << api::issue_token(config, o.subject, roles, ttl) << "\n";
        return;
    }
    if (!settings.api.jwt_public_key_file.empty())
        throw std::runtime_error(
            "sign-in links need the service to sign tokens (HS256); with api.jwt_public_key_file "
            "set it only verifies them: give the dashboard a token instead");
    auto link_ttl = api::parse_token_ttl(o.link_ttl);
    if (link_ttl > api::kLoginLinkMaxTtl) throw std::runtime_error("--link-ttl is at most 24h");
    std::string url = dashboard_url(settings, o.api_url);
    auto conn = store::connect(client_database_url(settings), settings.database.connect_timeout_seconds);
    pqxx::work tx(*conn);
    std::string code = api::create_login_link(tx, {o.subject, roles, ttl}, link_ttl);
    tx.commit();
    // The code goes in the fragment: browsers never send it to the server.
    std::cout << url << "/#login=" << code << "\n";
    std::cerr << "open it within " << o.link_ttl << "; it works once, and signs the browser tab in as " << o.subject
              << " for " << o.ttl << "\n";
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
    auto duration = CLI::Validator(
        [](const std::string& s) {
            try {
                api::parse_token_ttl(s);
                return std::string();
            } catch (const std::invalid_argument& e) {
                return std::string(e.what());
            }
        },
        "DURATION");
    token->add_option("--ttl", to.ttl, "lifetime: Ns, Nm, Nh or Nd, at most 365d (default 8h)")->check(duration);
    token->add_flag("--link", to.link,
                    "print a one-time dashboard sign-in link for the local service instead of a token "
                    "(the token is made when the link is opened)");
    token->add_option("--link-ttl", to.link_ttl, "how long the link may be opened (default 5m, at most 24h)")
        ->check(duration);
    token->add_option(
        "--api-url", to.api_url,
        "the service's address for --link (env SWITCHYARD_API_URL; default: the local serve of --data-dir)");
    token->callback([&ctx] { print_token(ctx, to); });
}

}  // namespace switchyard::cli
