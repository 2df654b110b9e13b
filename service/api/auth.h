// Bearer-token authentication and roles for the API (libjwt).
//
// Tokens: HS256 signed with a secret generated into the data directory on
// first start (DIR/jwt-secret, 0600), or ES256 verified with a configured
// public key. Claims: sub (becomes scheduled_by), roles (array of strings),
// exp. Missing, expired, badly signed or alg=none tokens are refused (401); a
// valid token without the right role is refused with 403.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <variant>

namespace switchyard::api {

enum class Role { read, operator_, admin };

// "read" | "operator" | "admin" -> Role; nullopt for anything else.
std::optional<Role> parse_role(const std::string& name);
std::string role_name(Role role);

// What a request may do. operator implies read; admin implies everything.
bool allows(const std::set<Role>& roles, Role needed);

struct Principal {
    std::string subject;  // the token's sub
    std::set<Role> roles;
    // The token's exp: what it grants ends then (an event stream too).
    std::chrono::system_clock::time_point expires_at = std::chrono::system_clock::time_point::max();
};

struct AuthFailure {
    int http_status;      // 401 or 403
    std::string message;  // for the client; never contains the token or secret
};

struct AuthConfig {
    std::string hs256_secret;      // HS256 key (raw bytes); empty when ES256 is used
    std::string es256_public_pem;  // ES256 public key (PEM); empty when HS256 is used
};

// Loads the HS256 secret from DIR/jwt-secret, creating it (32 random bytes,
// hex, mode 0600) on first start; or reads the ES256 public key file when
// `es256_public_key_file` is not empty.
AuthConfig load_auth_config(const std::string& data_dir, const std::string& es256_public_key_file);

// Verifies "Bearer <jwt>" (the whole Authorization header value).
std::variant<Principal, AuthFailure> authenticate(const std::string& authorization_header, const AuthConfig& config);

// A token signed with the HS256 secret: for `switchyard token` and tests.
std::string issue_token(const AuthConfig& config, const std::string& subject, const std::set<Role>& roles,
                        std::chrono::seconds ttl);

}  // namespace switchyard::api
