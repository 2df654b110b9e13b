#include "api_client.h"

#include "api/auth.h"
#include "devices/secret_masker.h"

#include <httplib.h>
#include <unistd.h>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace switchyard::cli {

using nlohmann::json;

namespace {

constexpr auto kLocalTokenTtl = std::chrono::minutes(5);

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

json unwrap(const httplib::Result& r, const std::string& url, const std::string& what, std::string* total = nullptr) {
    if (!r) throw std::runtime_error("cannot reach the API at " + url + " (" + httplib::to_string(r.error()) + ")");
    json body = json::parse(r->body, nullptr, false);
    if (r->status >= 400 || body.is_discarded() || body.value("status", "") != "success") {
        std::string message = !body.is_discarded() && body.contains("message") && body["message"].is_string()
                                  ? body["message"].get<std::string>()
                                  : "HTTP " + std::to_string(r->status);
        throw std::runtime_error(what + ": " + devices::safe_text(message));
    }
    if (total) *total = r->get_header_value("X-Total-Count");
    // The server masks what it returns; a client prints only what is safe
    // whatever server it talks to.
    return devices::safe_json(body["data"]);
}

}  // namespace

struct ApiClient::Impl {
    ApiTarget target;
    httplib::Client client;
    httplib::Headers headers;
    explicit Impl(ApiTarget t) : target(std::move(t)), client(target.url) {
        headers = {{"Authorization", "Bearer " + target.token}};
        client.set_connection_timeout(5, 0);
        client.set_read_timeout(30, 0);
    }
};

ApiClient::ApiClient(ApiTarget target) : impl_(std::make_unique<Impl>(std::move(target))) {}
ApiClient::~ApiClient() = default;

json ApiClient::get(const std::string& path, std::string* total_count) {
    return unwrap(impl_->client.Get(path.c_str(), impl_->headers), impl_->target.url, "GET " + path, total_count);
}

json ApiClient::put(const std::string& path, const json& body) {
    return unwrap(impl_->client.Put(path.c_str(), impl_->headers, body.dump(), "application/json"), impl_->target.url,
                  "PUT " + path);
}

json ApiClient::del(const std::string& path, const json& body) {
    return unwrap(impl_->client.Delete(path.c_str(), impl_->headers, body.dump(), "application/json"),
                  impl_->target.url, "DELETE " + path);
}

json ApiClient::post_raw(const std::string& path, const json& body, std::string* total_count) {
    auto r = impl_->client.Post(path.c_str(), impl_->headers, body.dump(), "application/json");
    unwrap(r, impl_->target.url, "POST " + path, total_count);
    return devices::safe_json(json::parse(r->body));
}

void ApiClient::follow_events(const std::string& path,
                              const std::function<bool(const std::string&, const std::string&)>& on_event) {
    httplib::Client stream(impl_->target.url);
    stream.set_read_timeout(60, 0);  // the server sends a keepalive every 15 s
    std::string buffer, kind;
    bool keep_going = true;
    auto r = stream.Get(path.c_str(), impl_->headers, [&](const char* data, size_t n) {
        buffer.append(data, n);
        std::size_t end;
        while ((end = buffer.find("\n\n")) != std::string::npos) {
            std::string block = buffer.substr(0, end);
            buffer.erase(0, end + 2);
            std::string data_line;
            kind = "comment";  // ": subscribed" and ": keepalive" reach the caller too
            std::istringstream lines(block);
            for (std::string line; std::getline(lines, line);) {
                if (line.rfind("event: ", 0) == 0) kind = line.substr(7);
                else if (line.rfind("data: ", 0) == 0) data_line = line.substr(6);
            }
            if (!(keep_going = on_event(kind, data_line))) return false;
        }
        return true;
    });
    if (keep_going && !r)
        throw std::runtime_error("the event stream from " + impl_->target.url + " ended (" +
                                 httplib::to_string(r.error()) + ")");
    if (keep_going && r->status != 200)
        throw std::runtime_error("the event stream was refused (HTTP " + std::to_string(r->status) + ")");
}

std::string api_url_file(const std::string& data_dir) { return data_dir + "/api-url"; }

ApiTarget resolve_api_target(const Settings& settings, const std::string& url_flag, const std::string& token_flag) {
    ApiTarget t;
    t.url = url_flag;
    if (t.url.empty())
        if (const char* env = std::getenv("SWITCHYARD_API_URL")) t.url = env;
    if (t.url.empty()) t.url = read_file(api_url_file(settings.data_dir));
    if (t.url.empty())
        throw std::runtime_error(
            "where is the API? give --api-url (or SWITCHYARD_API_URL), or run this next to a "
            "`switchyard serve --data-dir " +
            settings.data_dir + "`");
    t.token = token_flag;
    if (t.token.empty())
        if (const char* env = std::getenv("SWITCHYARD_TOKEN")) t.token = env;
    if (t.token.empty()) {
        if (!settings.api.jwt_public_key_file.empty() || access((settings.data_dir + "/jwt-secret").c_str(), R_OK) != 0)
            throw std::runtime_error("no token: give --token (or SWITCHYARD_TOKEN); `switchyard token` makes one");
        const char* user = std::getenv("USER");
        t.token =
            api::issue_token(api::load_auth_config(settings.data_dir, ""), user ? user : "cli", {api::Role::admin},
                             std::chrono::duration_cast<std::chrono::seconds>(kLocalTokenTtl));
    }
    return t;
}

std::string text_of(const nlohmann::json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

}  // namespace switchyard::cli
