// Devices: GET /devices (paging, filter, sort as /jobs), GET /device/<hostname>,
// POST /device, PUT /device/<hostname>, DELETE /device/<hostname>.
// Validation is the inventory's (devices/inventory.h): the same rules and
// messages as `switchyard devices import`.
#include "defaults.h"
#include "devices/device_store.h"
#include "devices/inventory.h"
#include "http_route.h"

#include <algorithm>
#include <set>

namespace switchyard::api {
namespace {

using devices::Device;
using nlohmann::json;

json device_json(const Device& d) {
    json out = {{"hostname", d.hostname},
                {"management_ip", d.management_ip},
                {"port", d.port},
                {"platform", devices::to_string(d.platform)},
                {"device_type", devices::to_string(d.device_type)},
                {"state", devices::to_string(d.state)},
                {"synchronized", d.synchronized},
                {"confhash", d.confhash.empty() ? json(nullptr) : json(d.confhash)},
                {"groups", d.groups}};
    if (d.last_seen) {
        auto t = std::chrono::system_clock::to_time_t(*d.last_seen);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[40];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
        out["last_seen"] = buf;
    } else {
        out["last_seen"] = nullptr;
    }
    return out;
}

// One device from a JSON object, through the inventory parser so that the
// rules and messages are the import's.
Device parse_device(const json& body) {
    try {
        auto parsed = devices::parse_inventory(json::array({body}).dump());
        return parsed.at(0);
    } catch (const devices::InventoryError& e) {
        throw BadRequest(e.what());
    }
}

const std::set<std::string> kFilterFields = {"hostname", "management_ip", "platform", "device_type",
                                             "state",    "synchronized",  "group"};
const std::set<std::string> kSortFields = {"hostname", "management_ip", "platform", "device_type", "state"};

std::string field_value(const json& d, const std::string& field) {
    const json& v = d[field];
    return v.is_string() ? v.get<std::string>() : v.dump();
}

bool matches(const json& d, const std::string& field, bool contains, const std::string& value) {
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
        return s;
    };
    if (field == "group") {
        for (auto& g : d["groups"])
            if (contains ? g.get<std::string>().find(value) != std::string::npos : g == value) return true;
        return false;
    }
    std::string have = field_value(d, field);
    if (contains) return have.find(value) != std::string::npos;
    // Enum-like fields compare case-insensitively, like the jobs' status.
    return field == "hostname" || field == "management_ip" ? have == value : lower(have) == lower(value);
}

void list_devices(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    int page = 1, per_page = defaults::kApiPerPageDefault;
    std::string sort = "hostname";
    bool descending = false;
    struct Filter {
        std::string field;
        bool contains;
        std::string value;
    };
    std::vector<Filter> filters;
    std::set<std::string> seen;
    for (auto& [key, value] : req.params) {
        if (!seen.insert(key).second) throw BadRequest("query parameter '" + key + "' given more than once");
        require_utf8(value, key);
        if (key == "page") page = static_cast<int>(parse_int(value, 1, 10'000'000, "page"));
        else if (key == "per_page")
            per_page = static_cast<int>(parse_int(value, 1, defaults::kApiPerPageMax, "per_page"));
        else if (key == "sort") {
            descending = !value.empty() && value[0] == '-';
            sort = descending ? value.substr(1) : value;
            if (!kSortFields.count(sort)) throw BadRequest("cannot sort devices by '" + sort + "'");
        } else if (key.rfind("filter[", 0) == 0 && key.find(']') != std::string::npos) {
            auto close = key.find(']');
            std::string field = key.substr(7, close - 7), rest = key.substr(close + 1);
            require_utf8(field, "filter field name");
            if (!kFilterFields.count(field)) throw BadRequest("unknown filter field '" + field + "'");
            if (!rest.empty() && rest != "[contains]") throw BadRequest("unknown filter operator '" + rest + "'");
            filters.push_back({field, !rest.empty(), value});
        } else {
            require_utf8(key, "query parameter name");
            throw BadRequest("unknown query parameter '" + key + "'");
        }
    }
    std::vector<json> all;
    ctx.pool.with([&](pqxx::connection& conn) {
        for (auto& d : devices::DeviceStore(conn).list()) all.push_back(device_json(d));
        return 0;
    });
    std::vector<json> kept;
    for (auto& d : all) {
        bool ok = true;
        for (auto& f : filters) ok = ok && matches(d, f.field, f.contains, f.value);
        if (ok) kept.push_back(std::move(d));
    }
    std::stable_sort(kept.begin(), kept.end(), [&](const json& a, const json& b) {
        auto x = field_value(a, sort), y = field_value(b, sort);
        return descending ? y < x : x < y;
    });
    std::size_t from = std::min(kept.size(), static_cast<std::size_t>(page - 1) * per_page);
    std::size_t to = std::min(kept.size(), from + per_page);
    res.set_header("X-Total-Count", std::to_string(kept.size()));
    send_success(res, {{"devices", json(std::vector<json>(kept.begin() + from, kept.begin() + to))}});
}

std::string hostname_of(const HttpRequest& req) {
    std::string h = req.path_args[0];
    require_utf8(h, "hostname");
    if (auto err = devices::hostname_error(h); !err.empty()) throw BadRequest("hostname: " + err);
    return h;
}

}  // namespace

void add_devices_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/devices", "GET /devices", Role::read, ctx, list_devices);
    add_route(router, Method::get, "/api/v1.0/device/{hostname}", "GET /device", Role::read,
              [&ctx](auto& req, auto& res, auto&) {
                  auto host = hostname_of(req);
                  auto d = ctx.pool.with([&](pqxx::connection& conn) { return devices::DeviceStore(conn).get(host); });
                  if (!d) throw NotFound("device " + host + " not found");
                  send_success(res, {{"devices", json::array({device_json(*d)})}});
              });
    add_route(router, Method::post, "/api/v1.0/device", "POST /device", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  Device d = parse_device(json_object_body(req));
                  bool created = ctx.pool.with([&](pqxx::connection& conn) {
                      devices::DeviceStore store(conn);
                      if (store.get(d.hostname)) return false;
                      store.upsert_all({d});
                      return true;
                  });
                  if (!created) {
                      send_error(res, 409, "device " + d.hostname + " exists already; use PUT /device/" + d.hostname);
                      return;
                  }
                  send_success(res, {{"devices", json::array({device_json(d)})}}, 201);
              });
    add_route(router, Method::put, "/api/v1.0/device/{hostname}", "PUT /device", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  auto host = hostname_of(req);
                  json changes = json_object_body(req);
                  if (changes.contains("hostname") && changes["hostname"] != host)
                      throw BadRequest("the hostname cannot be changed (delete and create the device instead)");
                  auto updated = ctx.pool.with([&](pqxx::connection& conn) -> std::optional<Device> {
                      devices::DeviceStore store(conn);
                      auto current = store.get(host);
                      if (!current) return std::nullopt;
                      json merged = device_json(*current);
                      for (auto key : {"synchronized", "confhash", "last_seen"}) merged.erase(key);
                      for (auto& [k, v] : changes.items()) merged[k] = v;
                      Device d = parse_device(merged);
                      d.synchronized = current->synchronized;
                      d.confhash = current->confhash;
                      d.last_seen = current->last_seen;
                      store.upsert_all({d});
                      return d;
                  });
                  if (!updated) throw NotFound("device " + host + " not found");
                  send_success(res, {{"devices", json::array({device_json(*updated)})}});
              });
    add_route(router, Method::del, "/api/v1.0/device/{hostname}", "DELETE /device", Role::admin,
              [&ctx](auto& req, auto& res, auto&) {
                  auto host = hostname_of(req);
                  bool removed =
                      ctx.pool.with([&](pqxx::connection& conn) { return devices::DeviceStore(conn).remove(host); });
                  if (!removed) throw NotFound("device " + host + " not found");
                  send_success(res, {{"hostname", host}, {"status", "deleted"}});
              });
}

}  // namespace switchyard::api
