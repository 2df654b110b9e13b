// Settings: YAML layers read into JSON and merged (rules in render.h).
#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "templates/control_characters.h"
#include "templates/render.h"
#include "templates/yaml_file.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace switchyard::templates {

#ifndef SWITCHYARD_BUNDLED_TEMPLATES_DIR
#error "SWITCHYARD_BUNDLED_TEMPLATES_DIR must be defined by the build"
#endif

std::string bundled_templates_dir() { return SWITCHYARD_BUNDLED_TEMPLATES_DIR; }
std::string bundled_settings_dir() { return std::string(SWITCHYARD_BUNDLED_TEMPLATES_DIR) + "/settings"; }

namespace {

// Lists every string value holding a control character as the file is read,
// to name the setting and its line should a template render it.
class UnsafeValues final : public detail::ScalarObserver {
public:
    UnsafeValues(const fs::path& file, std::vector<detail::UnsafeSetting>& out) : file_(file), out_(out) {}
    void scalar(const json& value, const detail::ScalarSite& site) override {
        if (!value.is_string()) return;
        const auto& text = value.get_ref<const std::string&>();
        if (auto cc = detail::find_control_character(text))
            out_.push_back({text, site.path(), file_.string(), site.line(), cc->name});
    }

private:
    const fs::path& file_;
    std::vector<detail::UnsafeSetting>& out_;
};

// The lists merged item by item, and the key(s) that identify an item.
struct MergeKey {
    std::string_view list;
    std::array<std::string_view, 2> keys;
};
constexpr std::array<MergeKey, 6> kMergeKeys{{{"interfaces", {"name", ""}},
                                              {"vlans", {"id", ""}},
                                              {"neighbors", {"ip", "address"}},
                                              {"bgp_neighbors", {"ip", "address"}},
                                              {"users", {"name", ""}},
                                              {"static_routes", {"prefix", ""}}}};

const MergeKey* merge_key(std::string_view field) {
    for (const auto& k : kMergeKeys)
        if (k.list == field) return &k;
    return nullptr;
}

// Identity of a list item: the key's value as text, so `id: 10` in one layer
// and `id: "10"` in another name the same VLAN.
std::optional<std::string> identity(const json& item, const MergeKey& mk) {
    if (!item.is_object()) return std::nullopt;
    for (auto key : mk.keys) {
        if (key.empty()) continue;
        auto it = item.find(std::string(key));
        if (it == item.end() || it->is_null() || it->is_structured()) continue;
        return std::string(key) + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
    }
    return std::nullopt;
}

std::string key_names(const MergeKey& mk) {
    return mk.keys[1].empty() ? std::string(mk.keys[0]) : std::string(mk.keys[0]) + "' or '" + std::string(mk.keys[1]);
}

// `over` is the later layer, read for this merge alone: its values are moved,
// not copied (a settings file may hold a whole config).
void merge_value(json& base, json&& over, std::string_view field, const fs::path& file);

void merge_list(json& base, json&& over, const MergeKey& mk, const fs::path& file) {
    for (auto& item : over) {
        auto id = identity(item, mk);
        if (!id)
            throw TemplateError(file.string() + ": an item of '" + std::string(mk.list) + "' has no '" + key_names(mk) +
                                "' (its merge key)");
        auto same = std::find_if(base.begin(), base.end(), [&](const json& b) { return identity(b, mk) == id; });
        if (same == base.end()) {
            base.push_back(json());
            merge_value(base.back(), std::move(item), "", file);
        } else {
            merge_value(*same, std::move(item), "", file);
        }
    }
}

// A null `base` is an absent key: merging into it (rather than copying) checks
// the first layer's lists for their merge keys too.
void merge_value(json& base, json&& over, std::string_view field, const fs::path& file) {
    if (over.is_object() && (base.is_object() || base.is_null())) {
        if (base.is_null()) base = json::object();
        for (auto it = over.begin(); it != over.end(); ++it)
            merge_value(base[it.key()], std::move(it.value()), it.key(), file);
        return;
    }
    const MergeKey* mk = merge_key(field);
    if (mk && over.is_array() && (base.is_array() || base.is_null())) {
        if (base.is_null()) base = json::array();
        merge_list(base, std::move(over), *mk, file);
        return;
    }
    base = std::move(over);
}

json load_layer(const fs::path& file, std::vector<detail::UnsafeSetting>& unsafe) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return json::object();
    UnsafeValues observer(file, unsafe);
    detail::YamlDocument doc = detail::read_yaml_file(file, &observer);
    if (doc.root.is_null()) return json::object();
    if (!doc.root.is_object())
        throw TemplateError(detail::where(file, doc.root_line) + ": settings must be a mapping of names to values");
    return std::move(doc.root);
}

// Group names come from the inventory and become file names: refuse any that
// would leave the groups folder.
void check_file_name(const std::string& name, std::string_view what) {
    if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos)
        throw TemplateError("invalid " + std::string(what) + " name '" + name + "' for a settings file");
}

}  // namespace

json layered_settings(const devices::Device& d, const std::string& settings_dir) {
    std::vector<detail::UnsafeSetting> unsafe;
    return detail::layered_settings_checked(d, settings_dir, unsafe);
}

json detail::layered_settings_checked(const devices::Device& d, const std::string& settings_dir,
                                      std::vector<UnsafeSetting>& unsafe) {
    json out = json::object();
    if (!settings_dir.empty()) {
        const fs::path dir = settings_dir;
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw TemplateError(d.hostname + ": settings directory " + settings_dir + " does not exist");
        try {
            std::vector<fs::path> layers{
                dir / "global.yml", dir / "device_types" / (std::string(devices::to_string(d.device_type)) + ".yml")};
            for (const auto& g : d.groups) {
                check_file_name(g, "group");
                layers.push_back(dir / "groups" / (g + ".yml"));
            }
            check_file_name(d.hostname, "host");
            layers.push_back(dir / "devices" / (d.hostname + ".yml"));
            for (const auto& file : layers) merge_value(out, load_layer(file, unsafe), "", file);
        } catch (const TemplateError& e) {
            throw TemplateError(d.hostname + ": " + e.what());
        }
    }
    out["hostname"] = d.hostname;
    out["management_ip"] = d.management_ip;
    out["platform"] = std::string(devices::to_string(d.platform));
    out["device_type"] = std::string(devices::to_string(d.device_type));
    out["groups"] = d.groups;
    // Device fields come from the inventory, which checks them; checked here
    // too, as they are rendered like settings.
    std::vector<std::pair<std::string, std::string>> fields{{"hostname", d.hostname},
                                                            {"management_ip", d.management_ip}};
    for (std::size_t i = 0; i < d.groups.size(); ++i)
        fields.emplace_back("groups[" + std::to_string(i) + "]", d.groups[i]);
    for (const auto& [name, value] : fields)
        if (auto cc = find_control_character(value)) unsafe.push_back({value, name, "the inventory", 0, cc->name});
    return out;
}

}  // namespace switchyard::templates
