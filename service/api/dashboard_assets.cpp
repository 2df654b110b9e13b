#include "dashboard_assets.h"

#include <array>

namespace switchyard::api::dashboard {
namespace {

constexpr std::string_view kAssetsPrefix = "/assets/";
constexpr std::string_view kIndex = "index.html";
// Versioned URLs never change content: a year, and no revalidation.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// The page itself (it names the current version) and assets asked for under
// another version (a page from before an upgrade): revalidate every time.
constexpr std::string_view kRevalidate = "no-cache";

// Only this origin; no inline script or style, no eval, no plugins, no
// framing; HTML may be written only through the "diff2html" Trusted Types
// policy (js/widgets.js), which renders diffs that diff2html has escaped.
constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types diff2html";

struct TypeByExtension {
    std::string_view extension;
    std::string_view type;
};
constexpr std::array<TypeByExtension, 9> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".json", "application/json"},
    {".md", "text/plain; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
}};

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string etag_of(const EmbeddedAsset& a) { return "\"" + std::string(a.sha256.substr(0, 32)) + "\""; }

// If-None-Match: "*" or a comma-separated list of (possibly weak) tags.
bool matches_etag(std::string_view if_none_match, const std::string& etag) {
    if (if_none_match.empty()) return false;
    if (if_none_match.find('*') != std::string_view::npos) return true;
    return if_none_match.find(etag) != std::string_view::npos;
}

void add_security_headers(AssetReply& r) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kCsp));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    r.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
    r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=(), usb=(), payment=()");
}

AssetReply serve(const EmbeddedAsset& a, std::string_view cache_control, std::string_view if_none_match) {
    AssetReply r;
    std::string etag = etag_of(a);
    r.content_type = std::string(content_type_for(a.path));
    r.headers.emplace_back("Cache-Control", std::string(cache_control));
    r.headers.emplace_back("ETag", etag);
    add_security_headers(r);
    if (matches_etag(if_none_match, etag)) {
        r.status = 304;
    } else {
        r.status = 200;
        r.body = a.bytes;
    }
    return r;
}

AssetReply not_found() {
    AssetReply r;
    r.status = 404;
    r.body = "no such dashboard file\n";
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Cache-Control", "no-store");
    add_security_headers(r);
    return r;
}

}  // namespace

const EmbeddedAsset* find_asset(std::string_view path) {
    for (const auto& a : embedded_assets())
        if (a.path == path) return &a;
    return nullptr;
}

std::string_view content_type_for(std::string_view path) {
    for (const auto& t : kTypes)
        if (ends_with(path, t.extension)) return t.type;
    // LICENSE-jsdiff and the like.
    if (path.find("LICENSE") != std::string_view::npos) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::string_view content_security_policy() { return kCsp; }

std::optional<AssetReply> dashboard_reply(std::string_view path, std::string_view if_none_match) {
    if (path == "/" || path == "/index.html") {
        const EmbeddedAsset* index = find_asset(kIndex);
        if (!index) return not_found();
        return serve(*index, kRevalidate, if_none_match);
    }
    if (path.substr(0, kAssetsPrefix.size()) != kAssetsPrefix) return std::nullopt;
    std::string_view rest = path.substr(kAssetsPrefix.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return not_found();
    std::string_view version = rest.substr(0, slash);
    std::string_view file = rest.substr(slash + 1);
    // The page is served at "/" only; an exact table lookup, so ".." or any
    // other path trick finds nothing.
    const EmbeddedAsset* asset = file == kIndex ? nullptr : find_asset(file);
    if (!asset) return not_found();
    return serve(*asset, version == asset_version() ? kImmutable : kRevalidate, if_none_match);
}

}  // namespace switchyard::api::dashboard
