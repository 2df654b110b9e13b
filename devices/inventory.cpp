#include "devices/inventory.h"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace switchyard::devices {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
    for (auto& [value, name] : table)
        if (iequals(name, s)) return value;
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
    for (auto& [value, name] : table)
        if (value == e) return name;
    return "?";
}

template <typename E, std::size_t N>
std::string choices(const std::array<std::pair<E, std::string_view>, N>& table) {
    std::string out;
    for (auto& [value, name] : table) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

constexpr std::array<std::pair<Platform, std::string_view>, 3> kPlatforms{
    {{Platform::frr, "frr"}, {Platform::eos, "eos"}, {Platform::junos, "junos"}}};
constexpr std::array<std::pair<DeviceType, std::string_view>, 4> kTypes{{{DeviceType::ACCESS, "ACCESS"},
                                                                         {DeviceType::DIST, "DIST"},
                                                                         {DeviceType::CORE, "CORE"},
                                                                         {DeviceType::UNKNOWN, "UNKNOWN"}}};
constexpr std::array<std::pair<DeviceState, std::string_view>, 2> kStates{
    {{DeviceState::MANAGED, "MANAGED"}, {DeviceState::UNMANAGED, "UNMANAGED"}}};

// Fields a device list may carry. The ignored ones are what `devices list`
// prints and what the simulator's inventory.json carries beside ours, so
// those lists can be fed back; anything else is a typo and rejected.
const std::set<std::string> kFields{"hostname", "management_ip", "port", "platform", "device_type", "state", "groups"};
const std::set<std::string> kReadOnlyFields{"synchronized", "confhash", "last_seen",
                                            "username",     "host_key", "host_key_fingerprint"};

std::string entry_name(std::size_t index, const std::string& hostname) {
    std::string out = "device #" + std::to_string(index + 1);
    if (!hostname.empty()) out += " (" + hostname + ")";
    return out;
}

std::string scalar(const YAML::Node& node, const std::string& field) {
    if (!node.IsScalar()) throw InventoryError("field '" + field + "' must be a single value");
    return node.Scalar();
}

Device device_from_node(const YAML::Node& node) {
    if (!node.IsMap()) throw InventoryError("entry must be a mapping of fields");
    Device d;
    for (auto it = node.begin(); it != node.end(); ++it) {
        std::string key = it->first.Scalar();
        if (!kFields.count(key) && !kReadOnlyFields.count(key)) throw InventoryError("unknown field '" + key + "'");
    }
    if (!node["hostname"]) throw InventoryError("field 'hostname' is missing");
    d.hostname = scalar(node["hostname"], "hostname");
    if (!node["management_ip"]) throw InventoryError("field 'management_ip' is missing");
    d.management_ip = scalar(node["management_ip"], "management_ip");
    if (!node["platform"]) throw InventoryError("field 'platform' is missing");
    std::string platform = scalar(node["platform"], "platform");
    auto p = platform_from_string(platform);
    if (!p)
        throw InventoryError("field 'platform': unknown platform '" + platform + "' (known: " + choices(kPlatforms) +
                             ")");
    d.platform = *p;
    if (auto port = node["port"]) {
        std::string text = scalar(port, "port");
        long value = -1;
        std::size_t used = 0;
        try {
            value = std::stol(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || value < 1 || value > 65535)
            throw InventoryError("field 'port': '" + text + "' is not a port number (1-65535)");
        d.port = static_cast<std::uint16_t>(value);
    }
    if (auto type = node["device_type"]) {
        std::string text = scalar(type, "device_type");
        auto t = device_type_from_string(text);
        if (!t)
            throw InventoryError("field 'device_type': unknown type '" + text + "' (known: " + choices(kTypes) + ")");
        d.device_type = *t;
    }
    if (auto state = node["state"]) {
        std::string text = scalar(state, "state");
        auto s = device_state_from_string(text);
        if (!s) throw InventoryError("field 'state': unknown state '" + text + "' (known: " + choices(kStates) + ")");
        d.state = *s;
    }
    if (auto groups = node["groups"]) {
        if (!groups.IsSequence()) throw InventoryError("field 'groups' must be a list of names");
        for (auto g : groups) {
            std::string name = scalar(g, "groups");
            if (name.empty()) throw InventoryError("field 'groups': empty group name");
            if (std::find(d.groups.begin(), d.groups.end(), name) == d.groups.end()) d.groups.push_back(name);
        }
    }
    return d;
}

}  // namespace

std::string_view to_string(Platform p) { return name_of(kPlatforms, p); }
std::string_view to_string(DeviceType t) { return name_of(kTypes, t); }
std::string_view to_string(DeviceState s) { return name_of(kStates, s); }
std::optional<Platform> platform_from_string(std::string_view s) { return lookup(kPlatforms, s); }
std::optional<DeviceType> device_type_from_string(std::string_view s) { return lookup(kTypes, s); }
std::optional<DeviceState> device_state_from_string(std::string_view s) { return lookup(kStates, s); }

std::string hostname_error(std::string_view hostname) {
    // RFC 1123 host names: dot-separated labels of letters, digits and
    // hyphens, 1-63 characters each, no leading or trailing hyphen.
    if (hostname.empty()) return "is empty";
    if (hostname.size() > 253) return "is longer than 253 characters";
    std::size_t start = 0;
    while (true) {
        std::size_t dot = hostname.find('.', start);
        std::string_view label = hostname.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (label.empty()) return "has an empty label";
        if (label.size() > 63) return "has a label longer than 63 characters";
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return std::string("contains '") + c + "' (allowed: letters, digits, '-', '.')";
        if (label.front() == '-' || label.back() == '-') return "has a label starting or ending with '-'";
        if (dot == std::string_view::npos) return "";
        start = dot + 1;
    }
}

std::string ip_error(std::string_view ip) {
    std::string text(ip);
    unsigned char buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1) return "";
    return "'" + text + "' is not an IPv4 or IPv6 address";
}

void validate(const Device& d) {
    if (auto e = hostname_error(d.hostname); !e.empty())
        throw InventoryError("field 'hostname': '" + d.hostname + "' " + e);
    if (auto e = ip_error(d.management_ip); !e.empty()) throw InventoryError("field 'management_ip': " + e);
    if (d.port == 0) throw InventoryError("field 'port': 0 is not a port number (1-65535)");
    if (to_string(d.platform) == "?") throw InventoryError("field 'platform': unknown platform");
    for (auto& g : d.groups)
        if (g.empty()) throw InventoryError("field 'groups': empty group name");
}

std::vector<Device> parse_inventory(std::string_view text) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw InventoryError(std::string("device list is not valid YAML/JSON: ") + e.what());
    }
    // Accept a bare list or {"devices": [...]}, the shape the API returns.
    if (root.IsMap() && root["devices"]) root = root["devices"];
    if (root.IsNull()) return {};
    if (!root.IsSequence()) throw InventoryError("device list must be a list of devices");
    std::vector<Device> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < root.size(); ++i) {
        std::string hostname;
        try {
            if (root[i].IsMap() && root[i]["hostname"] && root[i]["hostname"].IsScalar())
                hostname = root[i]["hostname"].Scalar();
            Device d = device_from_node(root[i]);
            validate(d);
            if (!seen.insert(d.hostname).second) throw InventoryError("hostname appears more than once");
            out.push_back(std::move(d));
        } catch (const InventoryError& e) {
            throw InventoryError(entry_name(i, hostname) + ": " + e.what());
        } catch (const YAML::Exception& e) {
            throw InventoryError(entry_name(i, hostname) + ": " + e.what());
        }
    }
    return out;
}

std::vector<Device> load_inventory_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InventoryError("cannot read device list " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    try {
        return parse_inventory(buf.str());
    } catch (const InventoryError& e) {
        throw InventoryError(path + ": " + e.what());
    }
}

}  // namespace switchyard::devices
