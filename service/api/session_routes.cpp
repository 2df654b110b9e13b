// The dashboard's sign-in routes:
//   GET  /auth/session   who the bearer token is for, its roles, when it
//                        expires, and the PUT /job/<id> actions this server
//                        accepts, so the page shows only the buttons its
//                        holder may use and signs out when the token ends
//   POST /auth/link      {"code": ...} trades a one-time link's code
//                        (`switchyard token --link`) for a token, once
#include "http_route.h"
#include "login_links.h"

namespace switchyard::api {
namespace {

using nlohmann::json;

// The actions PUT /job/<id> accepts. The dashboard shows a button for each
// one it knows (ABORT, RETRY; SUSPEND and RESUME on a running rollout):
// whoever adds an action to PUT /job/<id> adds it here.
const std::vector<std::string> kJobActions = {"ABORT", "RETRY", "SUSPEND", "RESUME"};

json roles_json(const std::set<Role>& roles) {
    json out = json::array();
    for (Role r : roles) out.push_back(role_name(r));
    return out;
}

}  // namespace

void add_session_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/auth/session", "GET /auth/session", Role::read,
              [](const HttpRequest& req, HttpResponse& res, const Principal& who) {
                  if (!req.params.empty())
                      throw BadRequest("unknown query parameter '" + req.params.begin()->first + "'");
                  auto exp =
                      std::chrono::duration_cast<std::chrono::seconds>(who.expires_at.time_since_epoch()).count();
                  send_success(res, {{"sub", who.subject},
                                     {"roles", roles_json(who.roles)},
                                     {"expires_at", exp},  // seconds since the epoch: the page signs out then
                                     {"job_actions", kJobActions}});
              });
    add_route(router, Method::post, "/api/v1.0/auth/link", "POST /auth/link", std::nullopt,
              [&ctx](const HttpRequest& req, HttpResponse& res, const Principal&) {
                  json body = json_object_body(req);
                  reject_unknown_keys(body, {"code"});
                  if (!body.contains("code") || !body["code"].is_string())
                      throw BadRequest("field 'code' is required and must be a string");
                  // Checked before the code is spent: with ES256 this server
                  // can verify tokens but not sign them.
                  if (ctx.auth.hs256_secret.empty()) {
                      send_error(res, 409,
                                 "this service verifies ES256 tokens and cannot issue them: sign in with a token");
                      return;
                  }
                  auto outcome = ctx.pool.with([&](pqxx::connection& conn) {
                      pqxx::work tx(conn);
                      auto o = redeem_login_link(tx, body["code"].get<std::string>());
                      tx.commit();
                      return o;
                  });
                  if (auto* refusal = std::get_if<LoginLinkRefusal>(&outcome)) {
                      if (*refusal == LoginLinkRefusal::expired) send_error(res, 410, "the sign-in link has expired");
                      else send_error(res, 404, "unknown or already used sign-in link");
                      return;
                  }
                  auto& grant = std::get<LoginGrant>(outcome);
                  // A credential: no cache may keep this response.
                  res.set_header("Cache-Control", "no-store");
                  send_success(res, {{"token", issue_token(ctx.auth, grant.subject, grant.roles, grant.token_ttl)},
                                     {"sub", grant.subject},
                                     {"roles", roles_json(grant.roles)},
                                     {"expires_in", grant.token_ttl.count()}});
              });
}

}  // namespace switchyard::api
