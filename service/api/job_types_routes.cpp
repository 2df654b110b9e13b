// GET /job_types (read): the job kinds this server runs, with a description,
// their arguments as a JSON schema, default timeout and attempts, whether
// they are safe to run again, and the locks they take.
#include "engine/job_types.h"
#include "http_route.h"

namespace switchyard::api {

void add_job_types_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/job_types", "GET /job_types", Role::read,
              [&ctx](auto& req, auto& res, auto&) {
                  if (!req.params.empty())
                      throw BadRequest("unknown query parameter '" + req.params.begin()->first + "'");
                  send_success(res, {{"job_types", engine::describe_job_types(ctx.registry, ctx.settings)}});
              });
}

}  // namespace switchyard::api
