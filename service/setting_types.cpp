#include "setting_types.h"

#include "devices/inventory.h"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace switchyard {

std::string_view to_string(LogLevel level) {
    switch (level) {
        case LogLevel::trace: return "trace";
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
        case LogLevel::critical: return "critical";
        case LogLevel::off: return "off";
    }
    return "info";
}

QueueConcurrency default_queues() { return {{"default", 16}}; }

}  // namespace switchyard

namespace switchyard::setting_types {

long whole_number(const std::string& text, const Origin& o) {
    std::size_t used = 0;
    long v = 0;
    try {
        v = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty())
        throw std::runtime_error(o.fail("must be a whole number, not '" + text + "'"));
    return v;
}

LogLevel Type<LogLevel>::parse(const std::string& text, const Origin& o) {
    for (auto level : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error,
                       LogLevel::critical, LogLevel::off})
        if (text == to_string(level)) return level;
    throw std::runtime_error(
        o.fail("must be one of trace, debug, info, warn, error, critical, off, not '" + text + "'"));
}

HostKeyPolicy Type<HostKeyPolicy>::parse(const std::string& text, const Origin& o) {
    if (auto p = devices::host_key_policy_from_string(text)) return *p;
    throw std::runtime_error(o.fail("must be strict, accept-new or off, not '" + text + "'"));
}

RecoveryTarget Type<RecoveryTarget>::parse(const std::string& text, const Origin& o) {
    if (auto t = devices::recovery_target_from_string(text)) return *t;
    throw std::runtime_error(o.fail("must be rollback or complete, not '" + text + "'"));
}

ConfirmMode Type<ConfirmMode>::parse(const std::string& text, const Origin& o) {
    if (auto m = devices::confirm_mode_from_number(whole_number(text, o))) return *m;
    throw std::runtime_error(o.fail("must be " + std::string(devices::kConfirmModeChoices) + ", not " + text));
}

namespace {

const std::regex kQueueName("[a-z][a-z0-9_-]{0,62}");

}  // namespace

void Type<QueueConcurrency>::set_one(QueueConcurrency& queues, const std::string& name, const std::string& text,
                                     const Origin& o) {
    if (!std::regex_match(name, kQueueName))
        throw std::runtime_error(o.where + ": queue name '" + name + "' must match [a-z][a-z0-9_-]*");
    Origin one{o.where, "jobs.queues." + name};
    long n = whole_number(text, one);
    if (n < 1 || n > 10000) throw std::runtime_error(one.fail("must be between 1 and 10000, not " + text));
    queues[name] = static_cast<int>(n);
}

QueueConcurrency Type<QueueConcurrency>::parse(const std::string& text, const Origin& o) {
    QueueConcurrency queues;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        auto eq = item.find('=');
        if (eq == std::string::npos)
            throw std::runtime_error(o.fail("wants name=concurrency pairs, not '" + item + "'"));
        set_one(queues, item.substr(0, eq), item.substr(eq + 1), o);
    }
    return queues;
}

QueueConcurrency Type<QueueConcurrency>::parse_yaml(const YAML::Node& node, const Origin& o) {
    if (!node.IsMap()) throw std::runtime_error(o.fail("must map queue names to concurrency"));
    QueueConcurrency queues;
    for (auto q = node.begin(); q != node.end(); ++q)
        set_one(queues, q->first.as<std::string>(), q->second.as<std::string>(), o);
    return queues;
}

void Type<QueueConcurrency>::emit(YAML::Emitter& out, const QueueConcurrency& v) {
    out << YAML::BeginMap;
    for (auto& [q, c] : v) out << YAML::Key << q << YAML::Value << c;
    out << YAML::EndMap;
}

namespace {

// A text field of a login or a repository, by its name in the settings, and
// whether `config show` masks it.
template <typename Owner>
struct TextField {
    const char* name;
    std::string Owner::*member;
    bool secret;
};

// "a, b, c": the fields' names, for error messages.
template <typename Owner, std::size_t N>
std::string field_names(const TextField<Owner> (&fields)[N]) {
    std::string out;
    for (auto& f : fields) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
}

// The field called `name`; nullptr when there is none.
template <typename Owner, std::size_t N>
const TextField<Owner>* find_field(const TextField<Owner> (&fields)[N], const std::string& name) {
    for (auto& f : fields)
        if (name == f.name) return &f;
    return nullptr;
}

// PREFIX_FIELD in capitals: where the environment may hold a field.
std::string environment_variable(const std::string& prefix, const char* field) {
    std::string var = prefix + "_" + field;
    for (auto& ch : var) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return var;
}

constexpr TextField<Credential> kCredentialFields[] = {
    {"username", &Credential::username, false},          {"password", &Credential::password, true},
    {"key_file", &Credential::key_file, false},          {"key_passphrase", &Credential::key_passphrase, true},
    {"enable_secret", &Credential::enable_secret, true},
};

bool valid_credential_name(const std::string& name) {
    static const std::regex group("group:[A-Za-z0-9_.-]{1,64}");
    if (name == "default" || std::regex_match(name, group)) return true;
    return devices::platform_from_string(name).has_value();
}

std::string platform_names() {
    std::string out;
    for (auto p : devices::kAllPlatforms) out += (out.empty() ? "" : ", ") + std::string(devices::to_string(p));
    return out;
}

}  // namespace

void Type<Credentials>::set_one(Credentials& logins, const std::string& name, const std::string& field,
                                const std::string& value, const Origin& o) {
    if (!valid_credential_name(name))
        throw std::runtime_error(o.where + ": credentials are named default, a platform (" + platform_names() +
                                 ") or group:NAME, not '" + name + "'");
    const auto* f = find_field(kCredentialFields, field);
    if (!f)
        throw std::runtime_error(o.where + ": unknown credential field '" + field + "' (" +
                                 field_names(kCredentialFields) + ")");
    logins[name].*f->member = value;
}

void Type<Credentials>::merge_yaml(Credentials& logins, const YAML::Node& node, const Origin& o) {
    if (!node.IsMap()) throw std::runtime_error(o.where + ": credentials must map names to logins");
    for (auto c = node.begin(); c != node.end(); ++c) {
        std::string name = c->first.as<std::string>();
        if (!c->second.IsMap()) throw std::runtime_error(o.where + ": credentials." + name + " must be a mapping");
        for (auto f = c->second.begin(); f != c->second.end(); ++f)
            set_one(logins, name, f->first.as<std::string>(), f->second.as<std::string>(), o);
    }
}

void Type<Credentials>::load_environment(Credentials& logins) {
    // Secrets are often handed over in the environment.
    std::vector<std::string> names = {"default"};
    for (auto p : devices::kAllPlatforms) names.emplace_back(devices::to_string(p));
    for (auto& name : names)
        for (auto& field : kCredentialFields) {
            std::string var = environment_variable("SWITCHYARD_CREDENTIALS_" + name, field.name);
            if (const char* v = std::getenv(var.c_str()))
                set_one(logins, name, field.name, v, {"environment " + var, ""});
        }
}

namespace {

// The fields of a repository (a url is shown with all but a password it holds).
constexpr TextField<GitRepository> kRepositoryFields[] = {
    {"url", &GitRepository::url, false},
    {"branch", &GitRepository::branch, false},
    {"username", &GitRepository::username, false},
    {"password", &GitRepository::password, true},
    {"ssh_key_file", &GitRepository::ssh_key_file, false},
    {"ssh_key_passphrase", &GitRepository::ssh_key_passphrase, true},
};

}  // namespace

void Type<GitRepository>::set_one(GitRepository& repo, const std::string& field, const std::string& value,
                                  const Origin& o) {
    const auto* f = find_field(kRepositoryFields, field);
    if (!f) throw std::runtime_error(o.fail("has no field '" + field + "' (" + field_names(kRepositoryFields) + ")"));
    repo.*f->member = value;
}

void Type<GitRepository>::merge_yaml(GitRepository& repo, const YAML::Node& node, const Origin& o) {
    if (!node.IsMap()) throw std::runtime_error(o.fail("must be a mapping of " + field_names(kRepositoryFields)));
    for (auto f = node.begin(); f != node.end(); ++f) {
        if (!f->second.IsScalar())
            throw std::runtime_error(o.fail("field " + f->first.as<std::string>() + " must be a single value"));
        set_one(repo, f->first.as<std::string>(), f->second.as<std::string>(), o);
    }
}

void Type<GitRepository>::load_environment(GitRepository& repo, const std::string& env_prefix,
                                           const std::string& path) {
    for (auto& field : kRepositoryFields) {
        std::string var = environment_variable(env_prefix, field.name);
        if (const char* v = std::getenv(var.c_str())) set_one(repo, field.name, v, {"environment " + var, path});
    }
}

void Type<GitRepository>::emit(YAML::Emitter& out, const GitRepository& v) {
    out << YAML::BeginMap;
    for (auto& f : kRepositoryFields) {
        const std::string& value = v.*f.member;
        std::string shown = f.secret && !value.empty()        ? std::string("****")
                            : f.member == &GitRepository::url ? mask_database_url(value)
                                                              : value;
        out << YAML::Key << f.name << YAML::Value << shown;
    }
    out << YAML::EndMap;
}

void Type<Credentials>::emit(YAML::Emitter& out, const Credentials& v) {
    out << YAML::BeginMap;
    for (auto& [name, c] : v) {
        out << YAML::Key << name << YAML::Value << YAML::BeginMap;
        for (auto& f : kCredentialFields) {
            const std::string& value = c.*f.member;
            out << YAML::Key << f.name << YAML::Value << (f.secret && !value.empty() ? std::string("****") : value);
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

}  // namespace switchyard::setting_types
