// The CLI's client of the REST API. Where the API is and which token to use:
// --api-url / SWITCHYARD_API_URL, else the address a local `serve` wrote into
// DATA_DIR/api-url; --token / SWITCHYARD_TOKEN, else a short-lived token
// minted from DATA_DIR/jwt-secret when this user can read it (a local
// operator: whoever can read the secret can mint tokens anyway).
#pragma once

#include "settings.h"

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace switchyard::cli {

struct ApiTarget {
    std::string url;  // http(s)://host:port
    std::string token;
};

class ApiClient {
public:
    explicit ApiClient(ApiTarget target);
    ~ApiClient();

    // Each returns the envelope's "data"; throws std::runtime_error with the
    // API's message (or why it could not be reached).
    nlohmann::json get(const std::string& path, std::string* total_count = nullptr);
    nlohmann::json put(const std::string& path, const nlohmann::json& body);
    nlohmann::json del(const std::string& path, const nlohmann::json& body);
    // POST returning the whole envelope (device_syncto puts job_id beside data).
    nlohmann::json post_raw(const std::string& path, const nlohmann::json& body, std::string* total_count = nullptr);
    // Reads the event stream until `on_event(kind, data)` returns false.
    void follow_events(const std::string& path,
                       const std::function<bool(const std::string&, const std::string&)>& on_event);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Resolves where the API is and the token, per the rules above.
ApiTarget resolve_api_target(const Settings& settings, const std::string& url_flag, const std::string& token_flag);

// Where `serve` writes the address its API listens on.
std::string api_url_file(const std::string& data_dir);

// A JSON value from the API as a table cell: "-" for null, strings bare.
std::string text_of(const nlohmann::json& value);

}  // namespace switchyard::cli
