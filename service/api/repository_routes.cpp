// CNaaS-NMS's repository routes (src/cnaas_nms/api/repository.py):
//   GET /repository/templates|settings   "Commit <sha> <branch> by <who> at <time>\n"
//   PUT /repository/templates|settings {"action": "REFRESH"}   (admin) fetch, render
//       every managed device from the new commit, and only then make it current
// Templates and settings from git: service/repositories.h.
#include "devices/secret_masker.h"
#include "http_route.h"
#include "repositories.h"
#include "store/queries.h"

#include <pqxx/pqxx>

namespace switchyard::api {
namespace {

using nlohmann::json;

Repository repository_in_path(const HttpRequest& req) {
    auto r = repository_from_string(req.path_args[0]);
    // CNaaS-NMS's words (repository.py).
    if (!r) throw BadRequest("Invalid repository type: templates or settings");
    return *r;
}

void show(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto r = repository_in_path(req);
    if (!from_git(ctx.settings, r))
        throw NotFound(std::string("the ") + to_string(r) + " repository is not from git (set sync." + to_string(r) +
                       "_repo.url); jobs render from a directory");
    auto row = ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        return store::sql::repositories::current(tx, {.name = to_string(r)});
    });
    send_success(res, row ? json(row->description)
                          : json(std::string("Repository has not been refreshed yet: PUT /api/v1.0/repository/") +
                                 to_string(r) + " {\"action\": \"REFRESH\"}"));
}

void refresh(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    auto r = repository_in_path(req);
    json body = json_object_body(req);
    reject_unknown_keys(body, {"action"});
    if (!body.contains("action") || !body["action"].is_string()) throw BadRequest("No action specified (REFRESH)");
    std::string action = body["action"];
    std::transform(action.begin(), action.end(), action.begin(), [](unsigned char c) { return std::toupper(c); });
    if (action != "REFRESH") throw BadRequest("Invalid action: only REFRESH");
    RefreshOutcome out;
    try {
        out = refresh_repository(ctx.settings, ctx.pool, r, who.subject);
    } catch (const templates::GitError& e) {
        // The remote, not this request, failed.
        send_error(res, 502, devices::safe_text(std::string("the ") + to_string(r) + " repository: " + e.what()));
        return;
    } catch (const templates::TemplateError& e) {
        send_error(res, 400, devices::safe_text(e.what()));
        return;
    }
    if (!out.refreshed) {
        // As CNaaS-NMS refuses a repository that does not verify: 400, the
        // previous commit stays current.
        std::string message = "commit " + out.commit.sha + " of the " + to_string(r) +
                              " repository was not taken: " + std::to_string(out.failed.size()) +
                              " managed device(s) fail to render";
        std::size_t named = 0;
        for (auto& [host, why] : out.failed) {
            if (++named > 20) {
                message += "; ...";
                break;
            }
            message += "; " + host + ": " + why;
        }
        send_error(res, 400, devices::safe_text(message));
        return;
    }
    send_success(res, out.commit.describe());
}

}  // namespace

void add_repository_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/repository/{name}", "GET /repository", Role::read, ctx, show);
    add_route(router, Method::put, "/api/v1.0/repository/{name}", "PUT /repository", Role::admin, ctx, refresh);
}

}  // namespace switchyard::api
