// How each type a setting may have (settings.def) is read from text and YAML,
// checked against its range, shown by `config show` and described in the
// README's table. Internal to settings.cpp.
#pragma once

#include "settings.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace switchyard::setting_types {

// Where a value came from, for error messages: "config.yaml line 3",
// "environment SWITCHYARD_X", "--set".
struct Origin {
    std::string where;
    std::string path;  // the setting, e.g. jobs.claim_batch
    std::string fail(const std::string& what) const { return where + ": " + path + " " + what; }
};

long whole_number(const std::string& text, const Origin& origin);

template <typename T>
struct Type;

template <>
struct Type<int> {
    static constexpr const char* name = "number";
    static int parse(const std::string& text, const Origin& o) { return static_cast<int>(whole_number(text, o)); }
    static long count(int v) { return v; }
    static void emit(YAML::Emitter& out, int v) { out << v; }
};

template <typename Rep, typename Period>
struct Type<std::chrono::duration<Rep, Period>> {
    using D = std::chrono::duration<Rep, Period>;
    static constexpr const char* name = std::is_same_v<Period, std::milli>      ? "milliseconds"
                                        : std::is_same_v<Period, std::ratio<1>> ? "seconds"
                                                                                : "hours";
    static D parse(const std::string& text, const Origin& o) { return D(whole_number(text, o)); }
    static long count(D v) { return static_cast<long>(v.count()); }
    static void emit(YAML::Emitter& out, D v) { out << static_cast<long>(v.count()); }
};

template <>
struct Type<Text> {
    static constexpr const char* name = "text";
    static Text parse(const std::string& text, const Origin&) { return text; }
    static void emit(YAML::Emitter& out, const Text& v) { out << v; }
};

template <>
struct Type<DatabaseUrl> {
    static constexpr const char* name = "text (secret)";
    static DatabaseUrl parse(const std::string& text, const Origin&) { return DatabaseUrl(text); }
    static void emit(YAML::Emitter& out, const DatabaseUrl& v) { out << mask_database_url(v); }
};

template <>
struct Type<LogLevel> {
    static constexpr const char* name = "log level";
    static LogLevel parse(const std::string& text, const Origin& o);
    static void emit(YAML::Emitter& out, LogLevel v) { out << std::string(to_string(v)); }
};

template <>
struct Type<HostKeyPolicy> {
    static constexpr const char* name = "host key policy";
    static HostKeyPolicy parse(const std::string& text, const Origin& o);
    static void emit(YAML::Emitter& out, HostKeyPolicy v) { out << std::string(devices::to_string(v)); }
};

template <>
struct Type<RecoveryTarget> {
    static constexpr const char* name = "rollback or complete";
    static RecoveryTarget parse(const std::string& text, const Origin& o);
    static void emit(YAML::Emitter& out, RecoveryTarget v) { out << std::string(devices::to_string(v)); }
};

// 0, 1 or 2, as CNaaS-NMS writes commit_confirmed_mode (and as the API's
// confirm_mode): counted, so its range and default show as numbers.
template <>
struct Type<ConfirmMode> {
    static constexpr const char* name = "confirm mode";
    static ConfirmMode parse(const std::string& text, const Origin& o);
    static long count(ConfirmMode v) { return devices::to_number(v); }
    static void emit(YAML::Emitter& out, ConfirmMode v) { out << devices::to_number(v); }
};

// "default=16,devices=4", or a YAML map of queue names to concurrency.
template <>
struct Type<QueueConcurrency> {
    static constexpr const char* name = "queue=concurrency,...";
    static QueueConcurrency parse(const std::string& text, const Origin& o);
    static QueueConcurrency parse_yaml(const YAML::Node& node, const Origin& o);
    // jobs.queues.NAME=N
    static void set_one(QueueConcurrency& queues, const std::string& name, const std::string& text, const Origin& o);
    static void emit(YAML::Emitter& out, const QueueConcurrency& v);
};

// A YAML map of logins by name; credentials.NAME.FIELD=value one at a time.
template <>
struct Type<Credentials> {
    static constexpr const char* name = "logins";
    static void merge_yaml(Credentials& logins, const YAML::Node& node, const Origin& o);
    static void set_one(Credentials& logins, const std::string& name, const std::string& field,
                        const std::string& value, const Origin& o);
    // SWITCHYARD_CREDENTIALS_<NAME>_<FIELD> for default and each platform.
    static void load_environment(Credentials& logins);
    static void emit(YAML::Emitter& out, const Credentials& v);
};

// sync.templates_repo, sync.settings_repo: a YAML map of url, branch,
// username, password, ssh_key_file, ssh_key_passphrase; PATH.FIELD=value one
// at a time; SWITCHYARD_<PATH>_<FIELD>. Shown with its secrets masked.
template <>
struct Type<GitRepository> {
    static constexpr const char* name = "git repository";
    static void merge_yaml(GitRepository& repo, const YAML::Node& node, const Origin& o);
    static void set_one(GitRepository& repo, const std::string& field, const std::string& value, const Origin& o);
    // `env_prefix`: SWITCHYARD_SYNC_TEMPLATES_REPO
    static void load_environment(GitRepository& repo, const std::string& env_prefix, const std::string& path);
    static void emit(YAML::Emitter& out, const GitRepository& v);
};

}  // namespace switchyard::setting_types
