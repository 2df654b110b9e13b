// Bearer tokens: what is accepted, what is refused (and that refusals never
// echo the token or the secret), the role order, the secret file.
#include "api/auth.h"
#include "api/token_ttl.h"

#include <jwt.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

using namespace switchyard::api;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "sy-auth-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Only for hand-made tokens (alg none, tampered payloads): the service itself
// leaves all encoding to libjwt.
std::string base64url(const std::string& in) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63], abc[v & 63]};
    }
    if (i + 1 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16;
        out += {abc[v >> 18], abc[(v >> 12) & 63]};
    } else if (i + 2 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63]};
    }
    return out;
}

json good_claims(json roles = json::array({"read"})) {
    return json{{"sub", "alice"}, {"exp", now_s() + 600}, {"roles", roles}};
}

// Signs `claims` with libjwt, whatever the algorithm and key.
std::string sign(jwt_alg_t alg, const std::string& key, const json& claims) {
    jwt_t* raw = nullptr;
    REQUIRE(jwt_new(&raw) == 0);
    std::unique_ptr<jwt_t, void (*)(jwt_t*)> jwt(raw, jwt_free);
    REQUIRE(jwt_add_grants_json(jwt.get(), claims.dump().c_str()) == 0);
    REQUIRE(jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()), (int)key.size()) == 0);
    char* s = jwt_encode_str(jwt.get());
    REQUIRE(s != nullptr);
    std::string token = s;
    std::free(s);
    return token;
}

// An EC P-256 (or RSA) key pair as PEM, made with OpenSSL for each run.
struct KeyPair {
    std::string private_pem, public_pem;
};

KeyPair pem_pair(EVP_PKEY* key) {
    REQUIRE(key != nullptr);
    KeyPair out;
    auto to_string = [](BIO* bio) {
        char* data = nullptr;
        long n = BIO_get_mem_data(bio, &data);
        std::string s(data, static_cast<std::size_t>(n));
        BIO_free(bio);
        return s;
    };
    BIO* priv = BIO_new(BIO_s_mem());
    REQUIRE(PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    out.private_pem = to_string(priv);
    BIO* pub = BIO_new(BIO_s_mem());
    REQUIRE(PEM_write_bio_PUBKEY(pub, key) == 1);
    out.public_pem = to_string(pub);
    EVP_PKEY_free(key);
    return out;
}

const KeyPair& ec_keys() {
    static KeyPair keys = pem_pair(EVP_EC_gen("P-256"));
    return keys;
}

const KeyPair& rsa_keys() {
    static KeyPair keys = pem_pair(EVP_RSA_gen(2048));
    return keys;
}

AuthConfig hs_config(const std::string& secret = std::string(32, '\x5a')) { return AuthConfig{secret, ""}; }
AuthConfig es_config() { return AuthConfig{"", ec_keys().public_pem}; }

Principal accepted(const std::string& header, const AuthConfig& config) {
    auto result = authenticate(header, config);
    if (auto* failure = std::get_if<AuthFailure>(&result)) FAIL("refused: " << failure->message);
    return std::get<Principal>(result);
}

// Refused with 401; returns the message. The message must never carry the
// token (or any part of its signature) nor the key.
std::string refused(const std::string& header, const AuthConfig& config) {
    auto result = authenticate(header, config);
    REQUIRE(std::holds_alternative<AuthFailure>(result));
    const auto& failure = std::get<AuthFailure>(result);
    CHECK(failure.http_status == 401);
    CHECK_FALSE(failure.message.empty());
    auto space = header.find(' ');
    if (space != std::string::npos && header.size() > space + 8) {
        std::string token = header.substr(space + 1);
        CHECK(failure.message.find(token) == std::string::npos);
        auto dot = token.rfind('.');
        if (dot != std::string::npos && token.size() - dot > 8)
            CHECK(failure.message.find(token.substr(dot + 1)) == std::string::npos);
    }
    if (!config.hs256_secret.empty()) CHECK(failure.message.find(config.hs256_secret) == std::string::npos);
    return failure.message;
}

}  // namespace

TEST_CASE("role names and the role order") {
    for (Role r : {Role::read, Role::operator_, Role::admin}) CHECK(parse_role(role_name(r)) == r);
    CHECK(role_name(Role::operator_) == "operator");
    CHECK_FALSE(parse_role("Admin"));
    CHECK_FALSE(parse_role("operator_"));
    CHECK_FALSE(parse_role(""));

    using S = std::set<Role>;
    CHECK(allows(S{Role::read}, Role::read));
    CHECK_FALSE(allows(S{Role::read}, Role::operator_));
    CHECK_FALSE(allows(S{Role::read}, Role::admin));
    CHECK(allows(S{Role::operator_}, Role::read));
    CHECK(allows(S{Role::operator_}, Role::operator_));
    CHECK_FALSE(allows(S{Role::operator_}, Role::admin));
    CHECK(allows(S{Role::admin}, Role::read));
    CHECK(allows(S{Role::admin}, Role::operator_));
    CHECK(allows(S{Role::admin}, Role::admin));
    CHECK(allows(S{Role::read, Role::admin}, Role::admin));
    CHECK_FALSE(allows(S{}, Role::read));
}

TEST_CASE("issued HS256 tokens are accepted, for every role") {
    auto config = hs_config();
    for (Role r : {Role::read, Role::operator_, Role::admin}) {
        auto token = issue_token(config, "alice", {r}, std::chrono::hours(1));
        auto p = accepted("Bearer " + token, config);
        CHECK(p.subject == "alice");
        CHECK(p.roles == std::set<Role>{r});
    }
    auto token = issue_token(config, "bob", {Role::read, Role::operator_}, std::chrono::minutes(5));
    CHECK(accepted("Bearer " + token, config).roles == std::set<Role>{Role::read, Role::operator_});

    SECTION("the scheme is case-insensitive") {
        CHECK(accepted("bearer " + token, config).subject == "bob");
        CHECK(accepted("BEARER " + token, config).subject == "bob");
    }
    SECTION("a valid token without the role needed is the caller's 403") {
        auto p = accepted("Bearer " + issue_token(config, "carol", {Role::read}, std::chrono::hours(1)), config);
        CHECK_FALSE(allows(p.roles, Role::operator_));
    }
    SECTION("an empty roles array is a valid token that allows nothing") {
        auto p = accepted("Bearer " + sign(JWT_ALG_HS256, config.hs256_secret, good_claims(json::array())), config);
        CHECK(p.roles.empty());
        CHECK_FALSE(allows(p.roles, Role::read));
    }
}

TEST_CASE("the Authorization header must be 'Bearer <token>'") {
    auto config = hs_config();
    auto token = issue_token(config, "alice", {Role::admin}, std::chrono::hours(1));
    CHECK(refused("", config) == "missing bearer token");
    CHECK(refused("Bearer", config) == "missing bearer token");
    CHECK(refused("Bearer ", config) == "missing bearer token");
    CHECK(refused("Basic YWxpY2U6c2VjcmV0", config).find("Bearer <token>") != std::string::npos);
    CHECK(refused("Token " + token, config).find("Bearer <token>") != std::string::npos);
    CHECK(refused(token, config).find("Bearer <token>") != std::string::npos);
    CHECK(refused("Bearer  " + token, config).find("malformed") != std::string::npos);
    CHECK(refused("Bearer " + token + " extra", config).find("malformed") != std::string::npos);
    CHECK(refused("Bearer " + token + "\n", config).find("malformed") != std::string::npos);
    CHECK(refused("Bearer garbage", config) == "malformed token");
    CHECK(refused("Bearer a.b.c", config) == "malformed token");
    CHECK(refused("Bearer ...", config) == "malformed token");
    CHECK(refused("Bearer " + std::string(10000, 'a'), config) == "bearer token too long");
}

TEST_CASE("claims: exp, sub and roles are required and checked") {
    auto config = hs_config();
    auto with = [&](json claims) { return "Bearer " + sign(JWT_ALG_HS256, config.hs256_secret, claims); };

    auto c = good_claims();
    CHECK(accepted(with(c), config).subject == "alice");

    c = good_claims();
    c["exp"] = now_s() - 10;
    CHECK(refused(with(c), config) == "token expired");
    c.erase("exp");
    CHECK(refused(with(c), config) == "token has no exp");
    c["exp"] = "tomorrow";
    CHECK(refused(with(c), config) == "token exp is not a number");
    c["exp"] = static_cast<double>(now_s()) + 600.5;  // NumericDate may have a fraction
    CHECK(accepted(with(c), config).subject == "alice");

    c = good_claims();
    c["nbf"] = now_s() + 600;
    CHECK(refused(with(c), config) == "token not valid yet");
    c["nbf"] = now_s() - 600;
    CHECK(accepted(with(c), config).subject == "alice");

    c = good_claims();
    c.erase("sub");
    CHECK(refused(with(c), config) == "token has no sub");
    c["sub"] = "";
    CHECK(refused(with(c), config) == "token has no sub");
    c["sub"] = 42;
    CHECK(refused(with(c), config) == "token has no sub");

    c = good_claims();
    c.erase("roles");
    CHECK(refused(with(c), config) == "token has no roles");
    c["roles"] = "admin";
    CHECK(refused(with(c), config).find("array") != std::string::npos);
    c["roles"] = json::array({"read", 3});
    CHECK(refused(with(c), config).find("array") != std::string::npos);
    c["roles"] = json::array({"read", "superuser"});
    auto message = refused(with(c), config);
    CHECK(message.find("unknown role 'superuser'") != std::string::npos);
    c["roles"] = json::array({std::string("x\n\x01") + std::string(100, 'y')});
    message = refused(with(c), config);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.size() < 200);
}

TEST_CASE("tampered, unsigned and foreign tokens are refused") {
    auto config = hs_config();
    auto token = issue_token(config, "alice", {Role::read}, std::chrono::hours(1));
    auto first_dot = token.find('.'), last_dot = token.rfind('.');
    std::string header = token.substr(0, first_dot);
    std::string signature = token.substr(last_dot + 1);

    SECTION("a changed claim under the original signature") {
        auto payload = base64url(good_claims(json::array({"admin"})).dump());
        CHECK(refused("Bearer " + header + "." + payload + "." + signature, config) == "invalid token signature");
    }
    SECTION("a changed signature") {
        std::string sig = signature;
        sig[sig.size() / 2] = sig[sig.size() / 2] == 'A' ? 'B' : 'A';
        CHECK(refused("Bearer " + token.substr(0, last_dot + 1) + sig, config) == "invalid token signature");
        CHECK(refused("Bearer " + token.substr(0, last_dot + 1), config).find("signature") != std::string::npos);
    }
    SECTION("alg none, crafted by hand") {
        auto none_header = base64url(R"({"alg":"none","typ":"JWT"})");
        auto payload = base64url(good_claims(json::array({"admin"})).dump());
        auto message = refused("Bearer " + none_header + "." + payload + ".", config);
        CHECK(message == "token algorithm none is not accepted (expected HS256)");
        // ... and with the original signature pasted on.
        refused("Bearer " + none_header + "." + payload + "." + signature, config);
        // ... and under ES256.
        CHECK(refused("Bearer " + none_header + "." + payload + ".", es_config()) ==
              "token algorithm none is not accepted (expected ES256)");
    }
    SECTION("an unknown algorithm name") {
        auto odd =
            base64url(R"({"alg":"XS999","typ":"JWT"})") + "." + base64url(good_claims().dump()) + "." + signature;
        CHECK(refused("Bearer " + odd, config).find("malformed") != std::string::npos);
    }
    SECTION("no key configured refuses everything") {
        CHECK(refused("Bearer " + token, AuthConfig{}) == "token authentication is not configured");
    }
}

TEST_CASE("ES256: tokens signed with the private key are accepted, nothing else") {
    auto config = es_config();
    auto token = sign(JWT_ALG_ES256, ec_keys().private_pem, good_claims(json::array({"operator"})));
    auto p = accepted("Bearer " + token, config);
    CHECK(p.subject == "alice");
    CHECK(p.roles == std::set<Role>{Role::operator_});

    // Claims are checked the same way.
    auto expired = good_claims();
    expired["exp"] = now_s() - 1;
    CHECK(refused("Bearer " + sign(JWT_ALG_ES256, ec_keys().private_pem, expired), config) == "token expired");

    SECTION("a tampered payload") {
        auto dot1 = token.find('.'), dot2 = token.rfind('.');
        auto forged =
            token.substr(0, dot1) + "." + base64url(good_claims(json::array({"admin"})).dump()) + token.substr(dot2);
        CHECK(refused("Bearer " + forged, config) == "invalid token signature");
    }
    SECTION("issue_token needs the HS256 secret") {
        CHECK_THROWS_AS(issue_token(config, "alice", {Role::read}, std::chrono::hours(1)), std::invalid_argument);
    }
}

// Tokens with good claims that are refused only for how they were signed:
// another key, or another algorithm than the one configured.
TEST_CASE("tokens signed with another key or algorithm than configured are refused") {
    struct Signing {
        const char* what;
        AuthConfig config;
        jwt_alg_t alg;
        std::string key;
        std::string refusal;
    };
    const AuthConfig hs = hs_config(), es = es_config();
    const Signing cases[] = {
        {"HS256 configured: signed with another secret", hs, JWT_ALG_HS256, std::string(32, 'q'),
         "invalid token signature"},
        {"HS256 configured: our secret, but HS384 (libjwt accepts it, we do not)", hs, JWT_ALG_HS384, hs.hs256_secret,
         "token algorithm HS384 is not accepted (expected HS256)"},
        {"HS256 configured: our secret, but HS512 (libjwt accepts it, we do not)", hs, JWT_ALG_HS512, hs.hs256_secret,
         "token algorithm HS512 is not accepted (expected HS256)"},
        {"HS256 configured: an RS256 token", hs, JWT_ALG_RS256, rsa_keys().private_pem,
         "token algorithm RS256 is not accepted (expected HS256)"},
        {"HS256 configured: an ES256 token", hs, JWT_ALG_ES256, ec_keys().private_pem,
         "token algorithm ES256 is not accepted (expected HS256)"},
        {"ES256 configured: an HS256 token", es, JWT_ALG_HS256, std::string(32, 'k'),
         "token algorithm HS256 is not accepted (expected ES256)"},
        {"ES256 configured: algorithm confusion, HS256 keyed with our public key, which libjwt would verify", es,
         JWT_ALG_HS256, es.es256_public_pem, "token algorithm HS256 is not accepted (expected ES256)"},
        {"ES256 configured: another EC key", es, JWT_ALG_ES256, pem_pair(EVP_EC_gen("P-256")).private_pem,
         "invalid token signature"},
    };
    // A section each, so that one token accepted by mistake (refused()
    // REQUIREs a refusal) does not hide the cases after it.
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.what) {
            CHECK(refused("Bearer " + sign(c.alg, c.key, good_claims()), c.config) == c.refusal);
        }
    }
}

TEST_CASE("concurrent requests, and no OpenSSL errors left behind") {
    // The server authenticates on many threads at once.
    auto hs = hs_config();
    auto es = es_config();
    auto hs_token = issue_token(hs, "alice", {Role::admin}, std::chrono::hours(1));
    auto es_token = sign(JWT_ALG_ES256, ec_keys().private_pem, good_claims());
    auto rs_token = sign(JWT_ALG_RS256, rsa_keys().private_pem, good_claims());
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (!std::holds_alternative<Principal>(authenticate("Bearer " + hs_token, hs))) ++wrong;
                if (!std::holds_alternative<Principal>(authenticate("Bearer " + es_token, es))) ++wrong;
                if (!std::holds_alternative<AuthFailure>(authenticate("Bearer " + rs_token, hs))) ++wrong;
                if (!std::holds_alternative<AuthFailure>(authenticate("Bearer " + hs_token, es))) ++wrong;
                if (ERR_peek_error() != 0) ++wrong;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
}

TEST_CASE("issue_token refuses what would make a useless token") {
    auto config = hs_config();
    CHECK_THROWS_AS(issue_token(config, "", {Role::read}, std::chrono::hours(1)), std::invalid_argument);
    CHECK_THROWS_AS(issue_token(config, "alice", {}, std::chrono::hours(1)), std::invalid_argument);
    CHECK_THROWS_AS(issue_token(config, "alice", {Role::read}, std::chrono::seconds(0)), std::invalid_argument);
}

TEST_CASE("the secret file: created once, 0600, reused") {
    TempDir dir;
    std::string data_dir = dir.path + "/data";  // does not exist yet
    std::string path = data_dir + "/jwt-secret";

    auto first = load_auth_config(data_dir, "");
    CHECK(first.hs256_secret.size() == 32);
    CHECK(first.es256_public_pem.empty());
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::string text = slurp(path);
    CHECK(text.size() == 65);
    CHECK(text.find_first_not_of("0123456789abcdefABCDEF") == 64);
    CHECK(text.back() == '\n');

    auto second = load_auth_config(data_dir, "");
    CHECK(second.hs256_secret == first.hs256_secret);
    CHECK(slurp(path) == text);
    auto token = issue_token(first, "alice", {Role::read}, std::chrono::hours(1));
    CHECK(accepted("Bearer " + token, second).subject == "alice");
    // No temporary file left behind.
    CHECK(std::distance(fs::directory_iterator(data_dir), fs::directory_iterator()) == 1);

    SECTION("another data directory, another secret") {
        CHECK(load_auth_config(dir.path + "/other", "").hs256_secret != first.hs256_secret);
    }
    SECTION("a secret others can read is refused") {
        REQUIRE(chmod(path.c_str(), 0644) == 0);
        REQUIRE_THROWS_WITH(load_auth_config(data_dir, ""), Catch::Contains("chmod 600"));
    }
    SECTION("a damaged file is reported without its contents") {
        {
            std::ofstream out(path, std::ios::trunc);
            out << "not-hex-" << std::string(60, 'z') << "\n";
        }
        try {
            load_auth_config(data_dir, "");
            FAIL("accepted a damaged secret file");
        } catch (const std::runtime_error& e) {
            std::string m = e.what();
            CHECK(m.find("hex") != std::string::npos);
            CHECK(m.find("zzzz") == std::string::npos);
        }
        { std::ofstream(path, std::ios::trunc) << "abcd\n"; }
        CHECK_THROWS_WITH(load_auth_config(data_dir, ""), Catch::Contains("64 to 256 hex digits"));
    }
    SECTION("a symlink is not followed") {
        std::string target = dir.path + "/elsewhere";
        fs::rename(path, target);
        fs::create_symlink(target, path);
        CHECK_THROWS(load_auth_config(data_dir, ""));
    }
}

TEST_CASE("the secret file: processes starting at once agree on one secret") {
    TempDir dir;
    std::vector<std::string> secrets(8);
    std::vector<std::thread> threads;
    for (auto& s : secrets) threads.emplace_back([&s, &dir] { s = load_auth_config(dir.path, "").hs256_secret; });
    for (auto& t : threads) t.join();
    for (auto& s : secrets) CHECK(s == secrets.front());
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("the ES256 public key file") {
    TempDir dir;
    std::string pub = dir.path + "/es256.pub";
    { std::ofstream(pub) << ec_keys().public_pem; }
    auto config = load_auth_config(dir.path, pub);
    CHECK(config.es256_public_pem == ec_keys().public_pem);
    CHECK(config.hs256_secret.empty());
    CHECK_FALSE(fs::exists(dir.path + "/jwt-secret"));  // no secret minted when it is not used

    { std::ofstream(pub, std::ios::trunc) << rsa_keys().public_pem; }
    CHECK_THROWS_WITH(load_auth_config(dir.path, pub), Catch::Contains("P-256"));
    { std::ofstream(pub, std::ios::trunc) << "hello\n"; }
    CHECK_THROWS_WITH(load_auth_config(dir.path, pub), Catch::Contains("not a PEM public key"));
    CHECK_THROWS_WITH(load_auth_config(dir.path, dir.path + "/missing.pub"), Catch::Contains("cannot read"));
}

TEST_CASE("token lifetimes") {
    using namespace std::chrono;
    CHECK(parse_token_ttl("90s") == seconds(90));
    CHECK(parse_token_ttl("15m") == minutes(15));
    CHECK(parse_token_ttl("8h") == hours(8));
    CHECK(parse_token_ttl("30d") == hours(24 * 30));
    CHECK(parse_token_ttl("365d") == kMaxTokenTtl);
    for (const char* bad : {"", "h", "8", "8x", "8H", "-1h", "+1h", " 8h", "8 h", "1.5h", "0s", "0x10s", "8hh"})
        CHECK_THROWS_AS(parse_token_ttl(bad), std::invalid_argument);
    CHECK_THROWS_WITH(parse_token_ttl("366d"), Catch::Contains("at most 365d"));
    CHECK_THROWS_WITH(parse_token_ttl("99999999999999999999999s"), Catch::Contains("at most 365d"));
    CHECK_THROWS_WITH(parse_token_ttl("soon"), Catch::Contains("s, m, h or d"));
}
