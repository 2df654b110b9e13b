// The dashboard's files, compiled into the binary (cmake/EmbedAssets.cmake
// from service/api/dashboard/), and how a request for one is answered:
// content type, caching, and the headers that keep the page to itself (a
// strict Content-Security-Policy: scripts, styles and connections from this
// origin only, no inline code, no eval, HTML written only through the one
// Trusted Types policy that renders diffs). Nothing here knows the HTTP
// server; dashboard_routes.cpp adapts it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::api::dashboard {

struct EmbeddedAsset {
    std::string_view path;  // relative to service/api/dashboard/, e.g. "js/app.js"
    std::string_view bytes;
    std::string_view sha256;  // hex, of the bytes as served
};

// Generated at build time.
const std::vector<EmbeddedAsset>& embedded_assets();
// Changes whenever any asset changes; assets are served under
// /assets/<version>/ so that browsers may cache them for good.
std::string_view asset_version();

const EmbeddedAsset* find_asset(std::string_view path);
// "text/javascript; charset=utf-8" for "js/app.js"; application/octet-stream
// for anything unknown (never sniffed: nosniff is always sent).
std::string_view content_type_for(std::string_view path);

struct AssetReply {
    int status = 200;       // 200, 304 or 404
    std::string_view body;  // the asset's bytes (200) or a short text
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;  // caching and security headers
};

// The reply for GET `path` ("/" or "/assets/<version>/<file>"), given the
// request's If-None-Match header ("" when absent). nullopt: not a dashboard
// path (the server's own 404 applies).
std::optional<AssetReply> dashboard_reply(std::string_view path, std::string_view if_none_match);

// The Content-Security-Policy every dashboard response carries.
std::string_view content_security_policy();

}  // namespace switchyard::api::dashboard
