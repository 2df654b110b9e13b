// What the /device/<hostname>/... routes share: the hostname in the path,
// the device it names, and query parameters checked against a list.
#pragma once

#include "devices/inventory.h"
#include "http_message.h"

#include <initializer_list>
#include <map>
#include <pqxx/connection>
#include <string>

namespace switchyard::api {

// The path's first argument as a hostname: BadRequest unless valid.
std::string hostname_in_path(const HttpRequest& req);

// The device, or NotFound ("device X not found").
devices::Device known_device(pqxx::connection& conn, const std::string& host);

// Only the named query parameters, each at most once; BadRequest otherwise.
std::map<std::string, std::string> query_params(const HttpRequest& req, std::initializer_list<const char*> allowed);

}  // namespace switchyard::api
