#include "device_paths.h"

#include "devices/device_store.h"
#include "jobs_query.h"

namespace switchyard::api {

std::map<std::string, std::string> query_params(const HttpRequest& req, std::initializer_list<const char*> allowed) {
    std::map<std::string, std::string> out;
    for (auto& [key, value] : req.params) {
        require_utf8(key, "query parameter name");
        bool known = false;
        for (auto* a : allowed) known = known || key == a;
        if (!known) throw BadRequest("unknown query parameter '" + key + "'");
        if (!out.emplace(key, value).second) throw BadRequest("query parameter '" + key + "' given more than once");
    }
    return out;
}

std::string hostname_in_path(const HttpRequest& req) {
    std::string host = req.path_args[0];
    require_utf8(host, "hostname");
    if (auto err = devices::hostname_error(host); !err.empty()) throw BadRequest("hostname: " + err);
    return host;
}

devices::Device known_device(pqxx::connection& conn, const std::string& host) {
    auto d = devices::DeviceStore(conn).get(host);
    if (!d) throw NotFound("device " + host + " not found");
    return *d;
}

}  // namespace switchyard::api
