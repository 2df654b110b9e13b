// GET /joblocks, DELETE /joblocks {"name": ...}.
#include "http_route.h"
#include "locks/lock_store.h"

namespace switchyard::api {

using nlohmann::json;

void add_locks_routes(Router& router, ApiContext& ctx) {
    add_route(
        router, Method::get, "/api/v1.0/joblocks", "GET /joblocks", Role::read, [&ctx](auto& req, auto& res, auto&) {
            if (!req.params.empty()) throw BadRequest("unknown query parameter '" + req.params.begin()->first + "'");
            json out = json::array();
            ctx.pool.with([&](pqxx::connection& conn) {
                pqxx::read_transaction tx(conn);
                for (auto& l : locks::list(tx))
                    out.push_back(
                        {{"name", l.name}, {"job_id", l.job_id}, {"start_time", l.start_time}, {"abort", l.abort}});
                return 0;
            });
            send_success(res, {{"locks", out}});
        });
    add_route(router, Method::del, "/api/v1.0/joblocks", "DELETE /joblocks", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  json body = json_object_body(req);
                  reject_unknown_keys(body, {"name"});
                  if (!body.contains("name") || !body["name"].is_string())
                      throw BadRequest("field 'name' is required and must be a string");
                  std::string name = body["name"];
                  require_utf8(name, "name");
                  auto job = ctx.pool.with([&](pqxx::connection& conn) {
                      pqxx::work tx(conn);
                      auto j = locks::clear(tx, name);
                      tx.commit();
                      return j;
                  });
                  if (!job) throw NotFound("no lock named '" + name + "'");
                  send_success(res, {{"name", name}, {"status", "deleted"}, {"job_id", *job}});
              });
}

}  // namespace switchyard::api
