// Settings: every tunable of the service, declared once in settings.def
// (name, type, default, range, doc). They start from their defaults, then a
// YAML config file, then SWITCHYARD_* environment variables, then flags.
#pragma once

#include "devices/defaults.h"
#include "devices/host_key_policy.h"

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

using Text = std::string;
using Milliseconds = std::chrono::milliseconds;
using Seconds = std::chrono::seconds;
using Hours = std::chrono::hours;
using HostKeyPolicy = devices::HostKeyPolicy;
using RecoveryTarget = devices::RecoveryTarget;
using ConfirmMode = devices::ConfirmMode;

enum class LogLevel { trace, debug, info, warn, error, critical, off };
std::string_view to_string(LogLevel level);

// A database URL: text, shown with its password masked.
class DatabaseUrl : public std::string {
public:
    using std::string::string;
    using std::string::operator=;
    DatabaseUrl(std::string s) : std::string(std::move(s)) {}
};

// Device login, by "default", a platform ("frr", "eos", "junos") or
// "group:NAME"; the most specific match wins (group, platform, default).
struct Credential {
    std::string username, password, key_file, key_passphrase;
    std::string enable_secret;  // eos: answer to `enable`'s password prompt
};
using Credentials = std::map<std::string, Credential>;

// A templates or settings repository from git (service/repositories.h), as
// CNaaS-NMS keeps them; an empty url means the directory setting instead.
struct GitRepository {
    std::string url;     // https://, ssh://, git@host:path, file:// or a path
    std::string branch;  // empty: the remote's default branch
    std::string username;
    std::string password;  // https password or token
    std::string ssh_key_file;
    std::string ssh_key_passphrase;
};

// Queue name -> how many of its jobs this process runs at once.
using QueueConcurrency = std::map<std::string, int>;
QueueConcurrency default_queues();

struct Settings {
#define SY_TOP_SETTING(key, type, default_value, min, max, doc) type key = default_value;
#define SY_SECTION(section) struct section##_settings {
#define SY_SETTING(section, key, type, default_value, min, max, doc) type key = default_value;
#define SY_END_SECTION(section) \
    }                           \
    section;
#include "settings.def"
#undef SY_TOP_SETTING
#undef SY_SECTION
#undef SY_SETTING
#undef SY_END_SECTION

    // Applies a YAML file. Throws std::runtime_error naming the file, the key
    // and what is wrong (unknown key, wrong type, out of range).
    void load_file(const std::string& path);
    // Applies SWITCHYARD_<SECTION>_<KEY> variables (e.g. SWITCHYARD_DATABASE_URL,
    // SWITCHYARD_JOBS_CLAIM_BATCH, SWITCHYARD_JOBS_QUEUES=default=16,devices=4).
    void load_environment();
    // Applies one "section.key=value" override (the --set flag).
    void set(const std::string& path, const std::string& value);
    // Throws std::runtime_error when settings contradict each other.
    void validate() const;

    // The effective settings as YAML, secrets masked.
    std::string to_yaml_masked() const;

    // Every setting as a Markdown table (path, type, default, range,
    // environment, what it does): the README's settings table.
    static std::string reference_table();
};

// postgresql://user:secret@host/db -> postgresql://user:****@host/db; also
// masks password=... in key/value connection strings.
std::string mask_database_url(const std::string& url);

}  // namespace switchyard
