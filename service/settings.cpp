#include "settings.h"

#include "setting_types.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <regex>
#include <stdexcept>
#include <type_traits>

namespace switchyard {
namespace {

using setting_types::Origin;
using setting_types::Type;

// One setting as settings.def declares it, with what reading, overriding,
// showing and documenting it need. Every function below walks this table.
struct Entry {
    std::string path;  // YAML path: section.key
    std::string doc, type_name, default_text, range_text;
    // Text from the environment or --set (not for credentials).
    std::function<void(Settings&, const std::string& text, const std::string& where)> set_text;
    std::function<void(Settings&, const YAML::Node& node, const std::string& where)> set_yaml;
    // One element: jobs.queues.NAME=N, credentials.NAME.FIELD=value.
    std::function<void(Settings&, const std::string& rest, const std::string& text, const std::string& where)> set_part;
    std::function<void(Settings&)> load_environment;
    std::function<void(const Settings&, YAML::Emitter&)> emit;
};

std::string env_name(const std::string& path) {
    std::string out = "SWITCHYARD_";
    for (char c : path) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

template <typename T>
constexpr bool kCounted = requires(T v) {
    Type<T>::count(v);
};
// Set field by field, never as one text: credentials.NAME.FIELD,
// sync.templates_repo.FIELD.
template <typename T>
constexpr bool kByField = std::is_same_v<T, Credentials> || std::is_same_v<T, GitRepository>;

template <typename T>
std::string describe(const T& v) {
    if constexpr (kCounted<T>) return std::to_string(Type<T>::count(v));
    else if constexpr (std::is_same_v<T, QueueConcurrency>) {
        std::string out;
        for (auto& [q, c] : v) out += (out.empty() ? "" : ",") + q + "=" + std::to_string(c);
        return out;
    } else if constexpr (kByField<T>) return "";
    else if constexpr (std::is_enum_v<T>) {
        using devices::to_string;
        using switchyard::to_string;
        return std::string(to_string(v));
    } else return v;
}

// `Access` returns the setting's member of a Settings.
template <typename T, typename Access>
Entry make_entry(std::string path, Access access, std::optional<T> min, std::optional<T> max, const char* doc) {
    Entry e;
    e.path = path;
    e.doc = doc;
    e.type_name = Type<T>::name;
    Settings defaults;
    e.default_text = describe(access(defaults));
    if constexpr (kCounted<T>)
        if (min && max) e.range_text = describe(*min) + "-" + describe(*max);
    if constexpr (!kByField<T>) {
        e.set_text = [path, access, min, max](Settings& s, const std::string& text, const std::string& where) {
            Origin o{where, path};
            T value = Type<T>::parse(text, o);
            if constexpr (kCounted<T>) {
                if ((min && Type<T>::count(value) < Type<T>::count(*min)) ||
                    (max && Type<T>::count(value) > Type<T>::count(*max)))
                    throw std::runtime_error(
                        o.fail("must be between " + describe(*min) + " and " + describe(*max) + ", not " + text));
            }
            access(s) = std::move(value);
        };
        e.load_environment = [path, set = e.set_text](Settings& s) {
            std::string var = env_name(path);
            if (const char* v = std::getenv(var.c_str())) set(s, v, "environment " + var);
        };
    }
    if constexpr (std::is_same_v<T, QueueConcurrency>) {
        e.set_yaml = [path, access](Settings& s, const YAML::Node& node, const std::string& where) {
            access(s) = Type<T>::parse_yaml(node, {where, path});
        };
    } else if constexpr (kByField<T>) {
        // Fields add to those already set (logins by name and field).
        e.set_yaml = [path, access](Settings& s, const YAML::Node& node, const std::string& where) {
            Type<T>::merge_yaml(access(s), node, {where, path});
        };
    } else {
        e.set_yaml = [path, set = e.set_text](Settings& s, const YAML::Node& node, const std::string& where) {
            if (!node.IsScalar()) throw std::runtime_error(where + ": " + path + " must be a single value");
            set(s, node.as<std::string>(), where);
        };
    }
    if constexpr (std::is_same_v<T, QueueConcurrency>) {
        e.set_part = [path, access](Settings& s, const std::string& name, const std::string& text,
                                    const std::string& where) {
            Type<T>::set_one(access(s), name, text, {where, path});
        };
    }
    if constexpr (std::is_same_v<T, Credentials>) {
        e.set_part = [path, access](Settings& s, const std::string& rest, const std::string& text,
                                    const std::string& where) {
            auto dot = rest.rfind('.');
            if (dot == std::string::npos || dot == 0)
                throw std::runtime_error(where + ": use credentials.NAME.FIELD=value");
            Type<T>::set_one(access(s), rest.substr(0, dot), rest.substr(dot + 1), text, {where, path});
        };
        e.load_environment = [access](Settings& s) { Type<T>::load_environment(access(s)); };
    }
    if constexpr (std::is_same_v<T, GitRepository>) {
        e.set_part = [path, access](Settings& s, const std::string& field, const std::string& text,
                                    const std::string& where) {
            Type<T>::set_one(access(s), field, text, {where, path});
        };
        e.load_environment = [path, access](Settings& s) {
            Type<T>::load_environment(access(s), env_name(path), path);
        };
    }
    e.emit = [access](const Settings& s, YAML::Emitter& out) { Type<T>::emit(out, access(const_cast<Settings&>(s))); };
    return e;
}

const std::vector<Entry>& entries() {
    // `none`: no range (text, enums, maps).
    constexpr auto none = std::nullopt;
    static const std::vector<Entry> all = {
#define SY_TOP_SETTING(key, type, default_value, min, max, doc) \
    make_entry<type>(                                           \
        #key, [](Settings& s) -> type& { return s.key; }, std::optional<type>(min), std::optional<type>(max), doc),
#define SY_SECTION(section)
#define SY_SETTING(section, key, type, default_value, min, max, doc)                                     \
    make_entry<type>(                                                                                    \
        #section "." #key, [](Settings& s) -> type& { return s.section.key; }, std::optional<type>(min), \
        std::optional<type>(max), doc),
#define SY_END_SECTION(section)
#include "settings.def"
#undef SY_TOP_SETTING
#undef SY_SECTION
#undef SY_SETTING
#undef SY_END_SECTION
    };
    return all;
}

const Entry* find(const std::string& path) {
    for (auto& e : entries())
        if (e.path == path) return &e;
    return nullptr;
}

// The entry a path such as jobs.queues.fast or credentials.eos.password
// belongs to, and the rest of the path.
std::pair<const Entry*, std::string> find_part(const std::string& path) {
    for (auto& e : entries())
        if (e.set_part && path.rfind(e.path + ".", 0) == 0) return {&e, path.substr(e.path.size() + 1)};
    return {nullptr, ""};
}

}  // namespace

void Settings::load_file(const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        throw std::runtime_error("cannot read config file " + path);
    } catch (const YAML::Exception& e) {
        throw std::runtime_error("config file " + path + " is not valid YAML: line " + std::to_string(e.mark.line + 1) +
                                 ": " + e.msg);
    }
    if (root.IsNull()) return;
    if (!root.IsMap()) throw std::runtime_error("config file " + path + " must hold a mapping of settings");

    // Walk the file, so that an unknown or misspelt key is an error, not ignored.
    std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& node,
                                                                          const std::string& prefix) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            std::string key = it->first.as<std::string>();
            std::string full = prefix.empty() ? key : prefix + "." + key;
            std::string where = path + " line " + std::to_string(it->first.Mark().line + 1);
            if (const Entry* e = find(full)) e->set_yaml(*this, it->second, where);
            else if (it->second.IsMap()) walk(it->second, full);
            else throw std::runtime_error(where + ": unknown setting '" + full + "'");
        }
    };
    walk(root, "");
}

void Settings::load_environment() {
    for (auto& e : entries()) e.load_environment(*this);
}

void Settings::set(const std::string& path, const std::string& value) {
    if (const Entry* e = find(path)) {
        if (!e->set_text) throw std::runtime_error("--set: set the fields of " + path + " one at a time");
        return e->set_text(*this, value, "--set");
    }
    if (auto [e, rest] = find_part(path); e) return e->set_part(*this, rest, value, "--set");
    throw std::runtime_error("--set: unknown setting '" + path + "'");
}

void Settings::validate() const {
    if (jobs.queues.empty()) throw std::runtime_error("jobs.queues: at least one queue is needed");
    // A worker starts no device change once its last good heartbeat is half
    // a lease old; another may take its jobs once it is a whole lease old.
    // With two heartbeats in each half, one late heartbeat stops nothing and
    // fencing always acts before the rescuer (at two intervals, the two came
    // at once: no margin at all).
    if (jobs.worker_lease_seconds < 4 * jobs.heartbeat_interval_ms)
        throw std::runtime_error(
            "jobs.worker_lease_seconds must be at least four heartbeat intervals (jobs.heartbeat_interval_ms): "
            "a worker stops changing devices at half a lease without a heartbeat, before another may take its jobs "
            "at a whole lease");
    if (api.tls_cert_file.empty() != api.tls_key_file.empty())
        throw std::runtime_error("api.tls_cert_file and api.tls_key_file must be set together");
    if (database.url.empty() && data_dir.empty())
        throw std::runtime_error("data_dir is empty and no database.url is set");
}

std::string Settings::to_yaml_masked() const {
    YAML::Emitter out;
    out << YAML::BeginMap;
    std::string section;
    auto close = [&] {
        if (!section.empty()) out << YAML::EndMap;
    };
    for (auto& e : entries()) {
        auto dot = e.path.find('.');
        std::string sec = dot == std::string::npos ? "" : e.path.substr(0, dot);
        std::string key = dot == std::string::npos ? e.path : e.path.substr(dot + 1);
        if (sec != section) {
            close();
            section = sec;
            if (!sec.empty()) out << YAML::Key << sec << YAML::Value << YAML::BeginMap;
        }
        out << YAML::Key << key << YAML::Value;
        e.emit(*this, out);
    }
    close();
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string Settings::reference_table() {
    std::string out =
        "| setting | type | default | range | environment | what |\n| --- | --- | --- | --- | --- | --- |\n";
    for (auto& e : entries()) {
        std::string def = e.default_text.empty() ? "" : "`" + e.default_text + "`";
        std::string env = e.path == "credentials" ? "`SWITCHYARD_CREDENTIALS_<NAME>_<FIELD>`"
                          : e.type_name == std::string(Type<GitRepository>::name) ? "`" + env_name(e.path) + "_<FIELD>`"
                                                                                  : "`" + env_name(e.path) + "`";
        out += "| `" + e.path + "` | " + e.type_name + " | " + def + " | " + e.range_text + " | " + env + " | " +
               e.doc + " |\n";
    }
    return out;
}

std::string mask_database_url(const std::string& url) {
    static const std::regex userinfo(R"(^([a-z]+://[^:/@]*):[^@]*@)");
    static const std::regex kv(R"((password\s*=\s*)('[^']*'|\S+))");
    std::string out = std::regex_replace(url, userinfo, "$1:****@");
    out = std::regex_replace(out, kv, "$1****");
    static const std::regex query(R"(([?&]password=)[^&]*)");
    return std::regex_replace(out, query, "$1****");
}

}  // namespace switchyard
