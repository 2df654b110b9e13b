// The dashboard's files as compiled into the binary and the reply to every
// kind of request for them: the page, versioned assets cached for good,
// revalidation, 304s, 404s (path tricks included), content types, and the
// strict Content-Security-Policy on all of them. Also that the page and its
// modules name only files that are really embedded.
#include "api/dashboard_assets.h"

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

using namespace switchyard::api::dashboard;

namespace {

std::string header(const AssetReply& r, const std::string& name) {
    for (auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

std::string versioned(const std::string& file) { return "/assets/" + std::string(asset_version()) + "/" + file; }

void check_security_headers(const AssetReply& r) {
    auto csp = header(r, "Content-Security-Policy");
    for (auto* directive : {"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                            "img-src 'self'", "base-uri 'none'", "frame-ancestors 'none'",
                            "require-trusted-types-for 'script'", "trusted-types diff2html"}) {
        INFO(csp);
        CHECK(csp.find(directive) != std::string::npos);
    }
    CHECK(csp.find("unsafe") == std::string::npos);
    CHECK(header(r, "X-Content-Type-Options") == "nosniff");
    CHECK(header(r, "X-Frame-Options") == "DENY");
    CHECK(header(r, "Referrer-Policy") == "no-referrer");
}

}  // namespace

TEST_CASE("the page is served at / and revalidated every time", "[dashboard]") {
    auto r = dashboard_reply("/", "");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->content_type == "text/html; charset=utf-8");
    CHECK(header(*r, "Cache-Control") == "no-cache");
    CHECK_FALSE(header(*r, "ETag").empty());
    check_security_headers(*r);
    std::string page(r->body);
    CHECK(page.find("@ASSET_VERSION@") == std::string::npos);
    CHECK(page.find("assets/" + std::string(asset_version()) + "/js/app.js") != std::string::npos);
    CHECK(asset_version().size() == 16);
}

TEST_CASE("every file the page and its modules name is embedded", "[dashboard]") {
    std::string page(find_asset("index.html")->bytes);
    std::regex named("assets/" + std::string(asset_version()) + "/([^\"]+)\"");
    int count = 0;
    for (std::sregex_iterator it(page.begin(), page.end(), named), end; it != end; ++it, ++count) {
        INFO((*it)[1].str());
        CHECK(find_asset((*it)[1].str()));
    }
    CHECK(count >= 5);
    std::regex import(R"(from '\./([a-z_]+\.js)')");
    int imports = 0;
    for (auto& a : embedded_assets()) {
        std::string path(a.path);
        if (path.rfind("js/", 0) != 0) continue;
        std::string text(a.bytes);
        for (std::sregex_iterator it(text.begin(), text.end(), import), end; it != end; ++it, ++imports) {
            INFO(path << " imports " << (*it)[1].str());
            CHECK(find_asset("js/" + (*it)[1].str()));
        }
        // Our own code names no other origin (the browser may reach only this one).
        INFO(path);
        CHECK(text.find("http://") == std::string::npos);
        CHECK(text.find("https://") == std::string::npos);
    }
    CHECK(imports >= 10);
    // What is committed from npm is shipped with its licences.
    CHECK(find_asset("vendor/diff2html/LICENSE.md"));
    CHECK(find_asset("vendor/diff2html/LICENSE-jsdiff"));
    CHECK(find_asset("vendor/diff2html/LICENSE-hogan"));
}

TEST_CASE("versioned assets are cached for good, others revalidated", "[dashboard]") {
    auto r = dashboard_reply(versioned("js/app.js"), "");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->content_type == "text/javascript; charset=utf-8");
    CHECK(header(*r, "Cache-Control") == "public, max-age=31536000, immutable");
    CHECK(r->body == find_asset("js/app.js")->bytes);
    check_security_headers(*r);

    // A page from before an upgrade asks for its own version: it gets today's
    // file, which no cache may keep under the old name.
    auto old = dashboard_reply("/assets/0000000000000000/js/app.js", "");
    REQUIRE(old);
    CHECK(old->status == 200);
    CHECK(header(*old, "Cache-Control") == "no-cache");

    CHECK(dashboard_reply(versioned("app.css"), "")->content_type == "text/css; charset=utf-8");
    CHECK(dashboard_reply(versioned("favicon.svg"), "")->content_type == "image/svg+xml");
    CHECK(dashboard_reply(versioned("vendor/diff2html/LICENSE-jsdiff"), "")->content_type ==
          "text/plain; charset=utf-8");
    CHECK(content_type_for("x.unknown") == "application/octet-stream");
}

TEST_CASE("If-None-Match with the current ETag is answered 304 without a body", "[dashboard]") {
    auto first = dashboard_reply(versioned("app.css"), "");
    auto etag = header(*first, "ETag");
    REQUIRE(etag.size() == 34);
    auto again = dashboard_reply(versioned("app.css"), etag);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    CHECK(header(*again, "ETag") == etag);
    CHECK(dashboard_reply(versioned("app.css"), "W/\"x\", " + etag)->status == 304);
    CHECK(dashboard_reply(versioned("app.css"), "*")->status == 304);
    CHECK(dashboard_reply(versioned("app.css"), "\"0000\"")->status == 200);
    CHECK(dashboard_reply("/", header(*dashboard_reply("/", ""), "ETag"))->status == 304);
}

TEST_CASE("unknown files are 404 with the same headers; other paths are not the dashboard's", "[dashboard]") {
    for (std::string path : {versioned("nope.js"), versioned("../index.html"), versioned("index.html"),
                             versioned("js/../app.css"), versioned(""), std::string("/assets/"),
                             std::string("/assets/js"), versioned("js/app.js/"), versioned("/js/app.js")}) {
        INFO(path);
        auto r = dashboard_reply(path, "");
        REQUIRE(r);
        CHECK(r->status == 404);
        CHECK(header(*r, "Cache-Control") == "no-store");
        check_security_headers(*r);
    }
    for (std::string path : {"/api/v1.0/jobs", "/favicon.ico", "/assetsx/a", "", "/js/app.js"}) {
        INFO(path);
        CHECK_FALSE(dashboard_reply(path, ""));
    }
}
