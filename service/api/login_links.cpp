#include "login_links.h"

#include "store/queries.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace switchyard::api {
namespace {

constexpr std::size_t kCodeBytes = 32;
// base64url of 32 bytes without padding.
constexpr std::size_t kCodeLength = 43;

std::string base64url(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::string sha256_hex(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

bool well_formed(std::string_view code) {
    if (code.size() != kCodeLength) return false;
    for (char c : code)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

}  // namespace

std::string create_login_link(pqxx::transaction_base& tx, const LoginGrant& grant, std::chrono::seconds link_ttl) {
    if (grant.subject.empty()) throw std::invalid_argument("a sign-in link needs a subject");
    if (grant.roles.empty()) throw std::invalid_argument("a sign-in link needs at least one role");
    if (grant.token_ttl.count() <= 0) throw std::invalid_argument("a token's lifetime must be positive");
    if (link_ttl.count() <= 0 || link_ttl > kLoginLinkMaxTtl)
        throw std::invalid_argument("a sign-in link lives between 1 s and 24 h");
    unsigned char raw[kCodeBytes];
    if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("cannot generate a sign-in code (RAND_bytes)");
    std::string code = base64url(raw, sizeof raw);
    OPENSSL_cleanse(raw, sizeof raw);
    std::vector<std::string> roles;
    for (Role r : grant.roles) roles.push_back(role_name(r));
    store::sql::dashboard::create_login_link(tx, {.code_sha256 = sha256_hex(code),
                                                  .subject = grant.subject,
                                                  .roles = roles,
                                                  .token_ttl_seconds = static_cast<int>(grant.token_ttl.count()),
                                                  .link_ttl_seconds = static_cast<int>(link_ttl.count())});
    return code;
}

std::variant<LoginGrant, LoginLinkRefusal> redeem_login_link(pqxx::transaction_base& tx, std::string_view code) {
    // Anything not shaped like a code was never issued; no need to ask.
    if (!well_formed(code)) return LoginLinkRefusal::unknown;
    auto row = store::sql::dashboard::redeem_login_link(tx, {.code_sha256 = sha256_hex(code)});
    if (!row) return LoginLinkRefusal::unknown;
    if (!row->fresh) return LoginLinkRefusal::expired;
    LoginGrant grant{row->subject, {}, std::chrono::seconds(row->token_ttl_seconds)};
    for (auto& name : row->roles)
        if (auto role = parse_role(name.get<std::string>())) grant.roles.insert(*role);
    return grant;
}

}  // namespace switchyard::api
