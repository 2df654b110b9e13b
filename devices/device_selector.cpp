#include "devices/device_selector.h"

#include <pqxx/pqxx>

#include <set>
#include <stdexcept>

#include "devices/device_row.h"
#include "devices/queries.h"

namespace switchyard::devices {
namespace {

using nlohmann::json;

std::string text_field(const json& args, const char* name) {
    if (!args.contains(name) || args[name].is_null()) return "";
    if (!args[name].is_string()) throw std::invalid_argument(std::string("field '") + name + "' must be a string");
    return args[name].get<std::string>();
}

}  // namespace

std::string DeviceSelector::describe() const {
    if (hostnames.size() == 1) return "device " + hostnames.front();
    if (!hostnames.empty()) {
        std::string out = "devices ";
        for (std::size_t i = 0; i < hostnames.size() && i < 5; ++i) out += (i ? ", " : "") + hostnames[i];
        if (hostnames.size() > 5) out += " and " + std::to_string(hostnames.size() - 5) + " more";
        return out;
    }
    if (device_type) return "devices of type " + std::string(to_string(*device_type));
    if (!group.empty()) return "devices in group " + group;
    return "all devices";
}

DeviceSelector selector_from_json(const json& args) {
    if (!args.is_object()) throw std::invalid_argument("the device selector must be a JSON object");
    DeviceSelector s;
    std::string hostname = text_field(args, "hostname"), type = text_field(args, "device_type");
    s.group = text_field(args, "group");
    if (args.contains("all") && !args["all"].is_boolean())
        throw std::invalid_argument("field 'all' must be true or false");
    s.all = args.value("all", false);
    if (args.contains("resync") && !args["resync"].is_boolean())
        throw std::invalid_argument("field 'resync' must be true or false");
    s.resync = args.value("resync", false);
    if (args.contains("hostnames")) {
        if (!args["hostnames"].is_array()) throw std::invalid_argument("field 'hostnames' must be a list of hostnames");
        for (auto& h : args["hostnames"]) {
            if (!h.is_string()) throw std::invalid_argument("field 'hostnames' must be a list of hostnames");
            s.hostnames.push_back(h.get<std::string>());
        }
        if (s.hostnames.empty()) throw std::invalid_argument("field 'hostnames' is an empty list");
    }
    // A selection made already (the route's, in a job's arguments): exactly
    // those devices; the selector beside it only says how they were chosen.
    if (!s.hostnames.empty()) {
        s.device_type.reset();
        s.group.clear();
        s.all = false;
        return s;
    }
    int given = !hostname.empty() + !type.empty() + !s.group.empty() + s.all;
    if (given != 1) throw std::invalid_argument("give exactly one of hostname, device_type, group or all: true");
    if (!hostname.empty()) s.hostnames = {hostname};
    if (!type.empty()) {
        s.device_type = device_type_from_string(type);
        if (!s.device_type)
            throw std::invalid_argument("unknown device_type '" + type + "' (ACCESS, DIST, CORE, UNKNOWN)");
    }
    return s;
}

void selector_to_json(const DeviceSelector& s, json& args) {
    if (s.hostnames.size() == 1) args["hostname"] = s.hostnames.front();
    else if (!s.hostnames.empty()) args["hostnames"] = s.hostnames;
    else if (s.device_type) args["device_type"] = std::string(to_string(*s.device_type));
    else if (!s.group.empty()) args["group"] = s.group;
    else args["all"] = true;
    args["resync"] = s.resync;
}

DeviceSelection select_devices(pqxx::connection& conn, const DeviceSelector& s) {
    DeviceSelection out;
    pqxx::read_transaction tx(conn);
    std::optional<std::vector<std::string>> names;
    if (!s.hostnames.empty()) names = s.hostnames;
    std::optional<std::string> type;
    if (s.device_type) type = std::string(to_string(*s.device_type));
    for (const auto& row :
         sql::devices::selected(tx, {.hostnames = names,
                                    .device_type = type,
                                    .group_name = s.group.empty() ? std::nullopt : std::optional<std::string>(s.group),
                                    .resync = s.resync}))
        out.devices.push_back(device_from_row(row));

    if (!s.hostnames.empty()) {
        std::set<std::string> found;
        for (auto& d : out.devices) found.insert(d.hostname);
        for (auto& h : s.hostnames) {
            if (found.count(h)) continue;
            auto d = sql::devices::get(tx, {.hostname = h});
            out.problem = !d ? "device " + h + " is not in the inventory"
                             : "device " + h + " is not MANAGED (state " + d->state + ")";
            break;
        }
    } else if (out.devices.empty()) {
        out.problem = "no devices selected: " + s.describe() + " selects no MANAGED device" +
                      (s.resync ? "" : " that is unsynchronized (use resync: true to sync them anyway)");
    }
    return out;
}

}  // namespace switchyard::devices
