// One-time sign-in links for the dashboard. `switchyard token --link` stores
// a random code's SHA-256 with what the token should say; the page at
// <api>/#login=<code> trades the code for a token once (POST /auth/link).
// The code travels in the URL's fragment, which browsers never send, so
// neither it nor the token reaches a server log; once traded or expired it is
// worth nothing, so the browser history keeps nothing useful either.
#pragma once

#include "auth.h"

#include <chrono>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace switchyard::api {

// A link lives minutes: long enough to open it, short enough not to matter
// if it is seen later. `token --link --link-ttl` changes it per link.
inline constexpr std::chrono::seconds kLoginLinkDefaultTtl = std::chrono::minutes(5);
inline constexpr std::chrono::seconds kLoginLinkMaxTtl = std::chrono::hours(24);

struct LoginGrant {
    std::string subject;
    std::set<Role> roles;
    std::chrono::seconds token_ttl;
};

// Stores a new link for `grant`, valid for `link_ttl`; returns its code
// (32 random bytes, base64url: 43 characters).
std::string create_login_link(pqxx::transaction_base& tx, const LoginGrant& grant, std::chrono::seconds link_ttl);

enum class LoginLinkRefusal { unknown, expired };

// Spends the link of `code`. unknown: never issued, or already used.
std::variant<LoginGrant, LoginLinkRefusal> redeem_login_link(pqxx::transaction_base& tx, std::string_view code);

}  // namespace switchyard::api
