// libFuzzer target for the whole API: raw request bytes go through Beast's
// parser with the server's limits, the router (route, token, body checks)
// and every route's handler against a real PostgreSQL, as a request from a
// socket does (service/api/beast_request.h is the shared glue); only the
// socket is missing.
//
// Input: one byte choosing the token (none, read, operator, admin, expired),
// then the request as sent. The token's Authorization field is inserted
// after the request line, so that mutations work on the rest.
//
// It fails (abort) on a 500, a status outside 1xx-5xx, a JSON answer that
// is not our envelope, a body without a type, and on anything ASan or UBSan
// finds.
#include "api/api_context.h"
#include "api/beast_request.h"
#include "api/http_route.h"
#include "store/database.h"
#include "support/pg_harness.h"
#include "tasks/task_registry.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

using namespace switchyard;
using namespace switchyard::api;

namespace {

// A fresh database now and then: the fuzzer creates devices and jobs, and
// routes that list everything should not slow down run after run.
constexpr long kRunsPerDatabase = 20000;

struct Target {
    tasks::TaskRegistry registry;
    Settings settings;
    AuthConfig auth{"0123456789abcdef0123456789abcdef", ""};
    std::string url;
    std::unique_ptr<ApiContext> ctx;
    std::unique_ptr<Router> router;
    std::string tokens[5];
    long runs = 0;

    Target() {
        tasks::register_builtin_tasks(registry);
        settings.api.max_body_bytes = 64 * 1024;
        settings.api.event_buffer_bytes = 64 * 1024;
        settings.database.pool_size = 2;
        tokens[1] = issue_token(auth, "fuzz", {Role::read}, std::chrono::hours(24));
        tokens[2] = issue_token(auth, "fuzz", {Role::operator_}, std::chrono::hours(24));
        tokens[3] = issue_token(auth, "fuzz", {Role::admin}, std::chrono::hours(24));
        tokens[4] = issue_token(auth, "fuzz", {Role::admin}, std::chrono::seconds(1));  // expired by the first run
        fresh();
    }

    void fresh() {
        router.reset();
        ctx.reset();
        if (!url.empty()) drop(url);
        url = testing::fresh_database_url();
        ctx = std::make_unique<ApiContext>(settings, registry, url, auth);
        router = std::make_unique<Router>(ctx->auth, ctx->metrics,
                                          RouterLimits{static_cast<std::size_t>(settings.api.max_body_bytes),
                                                       static_cast<std::size_t>(settings.api.max_header_fields)});
        add_api_routes(*router, *ctx);
    }

    // "postgresql:///NAME?host=...": dropped through the cluster's "postgres".
    static void drop(const std::string& database_url) {
        auto start = database_url.find(":///") + 4, end = database_url.find('?');
        std::string name = database_url.substr(start, end - start);
        auto admin = store::connect(database_url.substr(0, start) + "postgres" + database_url.substr(end),
                                    std::chrono::seconds(5));
        pqxx::nontransaction(*admin).exec("DROP DATABASE IF EXISTS " + name);
    }
};

Target* target;

[[noreturn]] void fail(const std::string& why, const HttpResponse& res) {
    std::fprintf(stderr, "api_fuzz: %s\nstatus %d, content type '%s', body: %.2000s\n", why.c_str(), res.status,
                 res.content_type.c_str(), res.body.c_str());
    std::abort();
}

void check(const HttpResponse& res) {
    if (res.status == 500) fail("a 500", res);
    if (res.status < 100 || res.status > 599) fail("a status outside HTTP's", res);
    if (res.stream) {
        res.stream->open([] {});
        (void)res.stream->pull();
        res.stream->close();
        return;
    }
    // Only JSON answers are envelopes: /metrics is text, the dashboard's
    // files are HTML, CSS and JavaScript, and a 304 has no body.
    if (res.content_type.rfind("application/json", 0) != 0) {
        if (res.content_type.empty() && res.status != 304 && !res.body.empty()) fail("a body without a type", res);
        return;
    }
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object() || !body.contains("status")) fail("an answer that is not an envelope", res);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);  // refusals and 503s are expected; 500s abort
    target = new Target();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    if (++target->runs % kRunsPerDatabase == 0) target->fresh();
    auto& t = *target;
    std::string raw(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string& token = t.tokens[data[0] % 5];
    if (!token.empty()) {
        auto line_end = raw.find("\r\n");
        if (line_end != std::string::npos) raw.insert(line_end + 2, "Authorization: Bearer " + token + "\r\n");
    }

    const auto max_header = static_cast<std::size_t>(t.settings.api.max_header_bytes);
    const auto max_body = static_cast<std::size_t>(t.settings.api.max_body_bytes);
    beast_glue::RequestParser parser;
    beast_glue::prepare(parser, max_header);
    parser.eager(false);
    boost::beast::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(raw), ec);
    if (ec == beast_glue::http::error::need_more) return 0;  // the server would wait for more, then time out
    if (ec) {
        if (auto refusal = beast_glue::refusal_for(*t.router, ec, max_header, max_body)) check(*refusal);
        return 0;
    }
    RequestHead head = beast_glue::head_of(parser);
    bool has_body = head.has_body;
    Admission admitted = t.router->admit(std::move(head));
    if (admitted.refusal) return check(*admitted.refusal), 0;
    if (has_body) {
        beast_glue::set_body_limit(parser, max_body);
        parser.eager(true);
        std::string_view rest(raw);
        rest.remove_prefix(used);
        while (!parser.is_done()) {
            std::size_t n = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
            rest.remove_prefix(n);
            if (ec == beast_glue::http::error::need_more) return 0;  // incomplete: the body deadline ends it
            if (ec) {
                if (auto refusal = beast_glue::refusal_for(*t.router, ec, max_header, max_body)) check(*refusal);
                return 0;
            }
            if (n == 0) return 0;
        }
        admitted.request.body = std::move(parser.get().body());
    }
    check(t.router->dispatch(*admitted.route, admitted.request, admitted.principal));
    return 0;
}
