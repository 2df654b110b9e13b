// GET / and GET /assets/<version>/<file>: the dashboard, from the files
// compiled into the binary (dashboard_assets.h decides every reply).
#include "dashboard_assets.h"
#include "http_route.h"

#include <algorithm>

namespace switchyard::api {

void add_dashboard_routes(Router& router, ApiContext&) {
    auto reply = [](const HttpRequest& req, HttpResponse& res, const Principal&) {
        auto r = dashboard::dashboard_reply(req.path, req.header("If-None-Match"));
        if (!r) r = dashboard::dashboard_reply("/assets/-/-", "");  // the 404 with the dashboard's headers
        res.status = r->status;
        res.headers = std::move(r->headers);
        if (r->status != 304) res.set_content(std::string(r->body), r->content_type);
    };
    add_route(router, Method::get, "/", "GET /dashboard", std::nullopt, reply);
    add_route(router, Method::get, "/index.html", "GET /dashboard", std::nullopt, reply);
    // A {placeholder} matches one path segment: a pattern for each depth of
    // the embedded files ("app.css", "js/app.js", "vendor/diff2html/x.js").
    std::size_t deepest = 1;
    for (auto& a : dashboard::embedded_assets())
        deepest = std::max<std::size_t>(deepest, 1 + std::count(a.path.begin(), a.path.end(), '/'));
    std::string pattern = "/assets/{version}";
    for (std::size_t depth = 1; depth <= deepest; ++depth) {
        pattern += "/{part" + std::to_string(depth) + "}";
        add_route(router, Method::get, pattern, "GET /assets", std::nullopt, reply);
    }
}

}  // namespace switchyard::api
