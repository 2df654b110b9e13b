#include "auth.h"

#include <jwt.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace switchyard::api {
namespace {

constexpr const char* kSecretFileName = "jwt-secret";
constexpr std::size_t kSecretBytes = 32;
// A secret file may also be written by an operator (to share one secret
// between several `serve` hosts): accept 32 to 128 bytes of hex.
constexpr std::size_t kMinSecretHex = 2 * kSecretBytes;
constexpr std::size_t kMaxSecretHex = 2 * 128;
// Real tokens are a few hundred bytes; the cap keeps a hostile header from
// costing more than a cheap rejection.
constexpr std::size_t kMaxTokenLength = 8192;

struct JwtFree {
    void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// libjwt 1.10 hands out malloc'd strings (it has no jwt_free_str yet).
struct CFree {
    void operator()(char* p) const { std::free(p); }
};
using CString = std::unique_ptr<char, CFree>;

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// Wipes a string holding key material when it goes out of scope, including
// what a shrinking resize left beyond its end.
struct Scrub {
    std::string& s;
    ~Scrub() {
        s.resize(s.capacity());  // never reallocates: it stays within capacity
        OPENSSL_cleanse(s.data(), s.size());
    }
};

AuthFailure unauthorized(std::string message) { return AuthFailure{401, std::move(message)}; }

std::string sys_error(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

void write_all(int fd, const std::string& data, const std::string& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(sys_error("cannot write", path));
        done += static_cast<std::size_t>(n);
    }
}

// Writes a fresh secret to `path` unless a file is there already. The secret
// goes to a private temporary file first (mkstemp: O_CREAT|O_EXCL, mode 0600)
// and is fsync'ed, then link()ed into place: link never replaces an existing
// file, so when two processes start at once exactly one secret wins, and no
// reader ever sees a half-written file (which an O_EXCL create of the final
// name followed by a write would allow).
void create_secret_file(const std::string& dir, const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create data directory " + dir + ": " + ec.message());

    unsigned char raw[kSecretBytes];
    if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("cannot generate the API token secret (RAND_bytes)");
    std::string hex(2 * kSecretBytes + 1, '\0');
    std::size_t hex_len = 0;
    int ok = OPENSSL_buf2hexstr_ex(hex.data(), hex.size(), &hex_len, raw, sizeof raw, '\0');
    OPENSSL_cleanse(raw, sizeof raw);
    Scrub scrub_hex{hex};
    if (ok != 1) throw std::runtime_error("cannot encode the API token secret");
    hex[hex_len - 1] = '\n';  // in place of the NUL counted in hex_len: no reallocation

    std::string tmp = dir + "/." + kSecretFileName + ".XXXXXX";
    int fd = mkstemp(tmp.data());
    if (fd < 0) throw std::runtime_error(sys_error("cannot create a file in", dir));
    try {
        write_all(fd, hex, tmp);
        if (fsync(fd) != 0) throw std::runtime_error(sys_error("cannot fsync", tmp));
    } catch (...) {
        close(fd);
        unlink(tmp.c_str());
        throw;
    }
    close(fd);
    int linked = link(tmp.c_str(), path.c_str());
    int link_errno = errno;
    unlink(tmp.c_str());
    if (linked != 0 && link_errno != EEXIST) {
        errno = link_errno;
        throw std::runtime_error(sys_error("cannot create", path));
    }
    if (linked == 0) {
        // The new directory entry must survive a crash too, or the next start
        // would mint another secret and invalidate every token handed out.
        int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
}

// Reads and checks the secret file; returns the raw key bytes.
std::string read_secret_file(const std::string& path) {
    // O_NOFOLLOW: a symlink planted in the data directory must not redirect
    // us to some other file whose contents would become the signing key.
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) throw std::runtime_error(sys_error("cannot open", path));
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        close(fd);
        throw std::runtime_error(sys_error("cannot stat", path));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        throw std::runtime_error(path + " is not a regular file");
    }
    // Like ssh with private keys: a secret others can read is not a secret.
    if ((st.st_mode & 077) != 0) {
        close(fd);
        std::ostringstream mode;
        mode << std::oct << (st.st_mode & 0777);
        throw std::runtime_error(path + " is readable by other users (mode " + mode.str() + "); chmod 600 it");
    }
    std::string text(kMaxSecretHex + 2, '\0');
    Scrub scrub_text{text};
    std::size_t got = 0;
    while (got < text.size()) {
        ssize_t n = ::read(fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            errno = e;
            throw std::runtime_error(sys_error("cannot read", path));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    close(fd);
    text.resize(got);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();

    const std::string advice = "; remove it to have a new secret generated (every token issued so far stops working)";
    if (text.size() < kMinSecretHex || text.size() > kMaxSecretHex || text.size() % 2 != 0)
        throw std::runtime_error(path + " must hold 64 to 256 hex digits" + advice);
    std::string key(text.size() / 2, '\0');
    std::size_t key_len = 0;
    if (OPENSSL_hexstr2buf_ex(reinterpret_cast<unsigned char*>(key.data()), key.size(), &key_len, text.c_str(), '\0') !=
            1 ||
        key_len != key.size()) {
        OPENSSL_cleanse(key.data(), key.size());
        throw std::runtime_error(path + " holds something other than hex digits" + advice);
    }
    return key;
}

// Reads a PEM public key and checks that it is an EC P-256 key, so that a
// wrong file is reported at start rather than as a 401 on every request.
std::string read_es256_public_key(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the ES256 public key " + file + ": " + std::strerror(errno));
    std::ostringstream pem;
    pem << in.rdbuf();
    std::string text = pem.str();

    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    std::unique_ptr<EVP_PKEY, PkeyFree> key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) {
        ERR_clear_error();
        throw std::runtime_error(file + " is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    char group[64] = {};
    std::size_t group_len = 0;
    if (!EVP_PKEY_is_a(key.get(), "EC") ||
        EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &group_len) != 1 ||
        std::string(group) != "prime256v1")
        throw std::runtime_error(file + " is not an EC P-256 (prime256v1) public key, which ES256 needs");
    return text;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// Why a token that failed verification failed, for the 401 message. The
// token is parsed again without a key only to read its header's alg; nothing
// from that parse is trusted, and only libjwt's own name for a known
// algorithm goes into the message (never text from the token).
std::string explain_rejection(const std::string& token, jwt_alg_t expected) {
    jwt_t* raw = nullptr;
    int rc = jwt_decode(&raw, token.c_str(), nullptr, 0);
    JwtPtr jwt(raw);
    if (rc != 0 || !jwt) return "malformed token";
    // Not jwt_get_alg: decoding without a key makes libjwt 1.10 report "none"
    // for every token, so the header is the only place the claimed alg is.
    const char* header_alg = jwt_get_header(jwt.get(), "alg");
    jwt_alg_t alg = header_alg ? jwt_str_alg(header_alg) : JWT_ALG_INVAL;
    if (alg == JWT_ALG_INVAL) return "malformed token (unknown algorithm)";
    if (alg != expected)
        return std::string("token algorithm ") + jwt_alg_str(alg) + " is not accepted (expected " +
               jwt_alg_str(expected) + ")";
    return "invalid token signature";
}

// What goes into a message about a claim value: short and printable, since
// it comes from the token (signed by us, but by whoever holds the key).
std::string printable(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (s.size() > 40) out += "...";
    return out;
}

std::variant<Principal, AuthFailure> check_claims(jwt_t* jwt) {
    CString grants_text(jwt_get_grants_json(jwt, nullptr));
    if (!grants_text) return unauthorized("token has no claims");
    auto claims = nlohmann::json::parse(grants_text.get(), nullptr, false);
    if (claims.is_discarded() || !claims.is_object()) return unauthorized("malformed token claims");

    // Seconds since the epoch as a double: JWT NumericDate may carry a fraction.
    double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto exp = claims.find("exp");
    if (exp == claims.end()) return unauthorized("token has no exp");
    if (!exp->is_number()) return unauthorized("token exp is not a number");
    // RFC 7519: valid only while the current time is before exp.
    if (now >= exp->get<double>()) return unauthorized("token expired");
    auto nbf = claims.find("nbf");
    if (nbf != claims.end()) {
        if (!nbf->is_number()) return unauthorized("token nbf is not a number");
        if (now < nbf->get<double>()) return unauthorized("token not valid yet");
    }

    auto sub = claims.find("sub");
    if (sub == claims.end() || !sub->is_string() || sub->get_ref<const std::string&>().empty())
        return unauthorized("token has no sub");

    auto roles = claims.find("roles");
    if (roles == claims.end()) return unauthorized("token has no roles");
    if (!roles->is_array()) return unauthorized("token roles must be an array of role names");
    Principal principal{sub->get<std::string>(), {}, {}};
    // Whole milliseconds are precision enough; a date beyond what the clock
    // holds never comes (the time check above already passed).
    double exp_ms = exp->get<double>() * 1000.0;
    principal.expires_at =
        exp_ms < 9e15
            ? std::chrono::system_clock::time_point(std::chrono::milliseconds(static_cast<std::int64_t>(exp_ms)))
            : std::chrono::system_clock::time_point::max();
    // An unknown role is refused rather than skipped: it means the token was
    // minted for another system or a newer version, and guessing what its
    // holder may do is worse than a clear 401.
    for (const auto& r : *roles) {
        if (!r.is_string()) return unauthorized("token roles must be an array of role names");
        auto role = parse_role(r.get<std::string>());
        if (!role)
            return unauthorized("token has unknown role '" + printable(r.get<std::string>()) +
                                "' (known: read, operator, admin)");
        principal.roles.insert(*role);
    }
    return principal;
}

}  // namespace

std::optional<Role> parse_role(const std::string& name) {
    if (name == "read") return Role::read;
    if (name == "operator") return Role::operator_;
    if (name == "admin") return Role::admin;
    return std::nullopt;
}

std::string role_name(Role role) {
    switch (role) {
        case Role::read: return "read";
        case Role::operator_: return "operator";
        case Role::admin: return "admin";
    }
    return "unknown";
}

bool allows(const std::set<Role>& roles, Role needed) {
    // The enum is declared in rising order of power: a role grants what every
    // role before it grants.
    for (Role r : roles)
        if (static_cast<int>(r) >= static_cast<int>(needed)) return true;
    return false;
}

AuthConfig load_auth_config(const std::string& data_dir, const std::string& es256_public_key_file) {
    AuthConfig config;
    if (!es256_public_key_file.empty()) {
        config.es256_public_pem = read_es256_public_key(es256_public_key_file);
        return config;
    }
    if (data_dir.empty()) throw std::runtime_error("no data directory to keep the API token secret in");
    std::string path = data_dir + "/" + kSecretFileName;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) throw std::runtime_error(sys_error("cannot stat", path));
        create_secret_file(data_dir, path);
    }
    config.hs256_secret = read_secret_file(path);
    return config;
}

std::variant<Principal, AuthFailure> authenticate(const std::string& authorization_header, const AuthConfig& config) {
    // "Bearer <token>": the scheme is case-insensitive (RFC 7235), then one
    // space, then the token, which has no spaces of its own.
    const std::string& h = authorization_header;
    std::size_t space = h.find(' ');
    std::string_view scheme = std::string_view(h).substr(0, space);
    if (h.empty()) return unauthorized("missing bearer token");
    if (!iequals(scheme, "Bearer")) return unauthorized("the Authorization header must be 'Bearer <token>'");
    if (space == std::string::npos || space + 1 == h.size()) return unauthorized("missing bearer token");
    std::string token = h.substr(space + 1);
    for (char c : token)
        if (c <= 0x20 || c >= 0x7f)
            return unauthorized("malformed bearer token (expected 'Bearer <token>' with a single space)");
    if (token.size() > kMaxTokenLength) return unauthorized("bearer token too long");

    const bool es256 = !config.es256_public_pem.empty();
    const std::string& key = es256 ? config.es256_public_pem : config.hs256_secret;
    const jwt_alg_t expected = es256 ? JWT_ALG_ES256 : JWT_ALG_HS256;
    // libjwt 1.10 skips signature checks altogether when the key is empty
    // (and then reports alg "none"): never let a missing key reach it.
    if (key.empty()) return unauthorized("token authentication is not configured");

    jwt_t* raw = nullptr;
    int rc = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size()));
    JwtPtr jwt(raw);
    if (rc != 0 || !jwt) {
        // A failed verification (say, our secret read as a PEM key for an
        // RS256 token) leaves OpenSSL errors queued on this thread, where the
        // next OpenSSL user on it (TLS, libpq) would find and misreport them.
        ERR_clear_error();
        return unauthorized(explain_rejection(token, expected));
    }
    // jwt_decode verifies with whatever algorithm the token's header names,
    // using our key. So an HS384 token made with our secret passes, and with
    // ES256 configured, an HS256 token whose HMAC key is our *public* PEM
    // passes too (algorithm confusion: anyone can forge those). Only the
    // algorithm we chose counts.
    jwt_alg_t alg = jwt_get_alg(jwt.get());
    if (alg != expected) {
        const char* name = jwt_alg_str(alg);
        return unauthorized(std::string("token algorithm ") + (name ? name : "unknown") +
                            " is not accepted (expected " + jwt_alg_str(expected) + ")");
    }
    return check_claims(jwt.get());
}

std::string issue_token(const AuthConfig& config, const std::string& subject, const std::set<Role>& roles,
                        std::chrono::seconds ttl) {
    if (config.hs256_secret.empty())
        throw std::invalid_argument(
            "no HS256 secret to sign with (with ES256, tokens come from the private key holder)");
    if (subject.empty()) throw std::invalid_argument("a token needs a subject");
    if (roles.empty()) throw std::invalid_argument("a token needs at least one role");
    if (ttl.count() <= 0) throw std::invalid_argument("a token's lifetime must be positive");

    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    nlohmann::json claims{
        {"sub", subject}, {"iat", now.count()}, {"exp", (now + ttl).count()}, {"roles", nlohmann::json::array()}};
    for (Role r : roles) claims["roles"].push_back(role_name(r));

    jwt_t* raw = nullptr;
    if (jwt_new(&raw) != 0) throw std::runtime_error("cannot create a token (out of memory)");
    JwtPtr jwt(raw);
    if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0)
        throw std::runtime_error("cannot add the claims to a token");
    if (jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(config.hs256_secret.data()),
                    static_cast<int>(config.hs256_secret.size())) != 0)
        throw std::runtime_error("cannot set the token's signing key");
    CString token(jwt_encode_str(jwt.get()));
    if (!token) throw std::runtime_error(std::string("cannot sign a token: ") + std::strerror(errno));
    return token.get();
}

}  // namespace switchyard::api
