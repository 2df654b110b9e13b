#include "settings.h"

#include "defaults.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <functional>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace switchyard {
namespace {

// One row per setting: where it lives and how to read it. Reading, overriding
// and showing settings all walk this table, so a new setting is one line.
struct Field {
    std::string path;
    std::string* text = nullptr;
    int* number = nullptr;
    int min = 0, max = 0;
    bool secret = false;
};

std::vector<Field> fields(Settings& s) {
    auto t = [](std::string p, std::string* v, bool secret = false) {
        Field f; f.path = std::move(p); f.text = v; f.secret = secret; return f;
    };
    auto n = [](std::string p, int* v, int lo, int hi) {
        Field f; f.path = std::move(p); f.number = v; f.min = lo; f.max = hi; return f;
    };
    auto& j = s.jobs;
    return {
        t("data_dir", &s.data_dir),
        t("listen", &s.listen),
        t("log_level", &s.log_level),
        t("database.url", &s.database.url, true),
        n("database.pool_size", &s.database.pool_size, 1, 1000),
        n("database.connect_timeout_seconds", &s.database.connect_timeout_seconds, 1, 600),
        t("embedded.run_as", &s.embedded.run_as),
        t("embedded.pg_bin_dir", &s.embedded.pg_bin_dir),
        n("embedded.start_timeout_seconds", &s.embedded.start_timeout_seconds, 1, 3600),
        n("embedded.max_connections", &s.embedded.max_connections, 20, 10000),
        n("api.threads", &s.api.threads, 2, 1024),
        n("api.max_event_streams", &s.api.max_event_streams, 0, 1000),
        n("api.max_body_bytes", &s.api.max_body_bytes, 1024, 64 << 20),
        n("api.read_timeout_seconds", &s.api.read_timeout_seconds, 1, 3600),
        n("api.write_timeout_seconds", &s.api.write_timeout_seconds, 1, 3600),
        t("api.tls_cert_file", &s.api.tls_cert_file),
        t("api.tls_key_file", &s.api.tls_key_file),
        t("api.jwt_public_key_file", &s.api.jwt_public_key_file),
        t("ssh.host_key_policy", &s.ssh.host_key_policy),
        t("ssh.known_hosts_file", &s.ssh.known_hosts_file),
        n("ssh.connect_timeout_seconds", &s.ssh.connect_timeout_seconds, 1, 600),
        n("ssh.command_timeout_seconds", &s.ssh.command_timeout_seconds, 1, 3600),
        n("ssh.commit_timeout_seconds", &s.ssh.commit_timeout_seconds, 1, 7200),
        n("ssh.keepalive_seconds", &s.ssh.keepalive_seconds, 1, 3600),
        n("ssh.concurrency", &s.ssh.concurrency, 1, 5000),
        n("ssh.device_deadline_seconds", &s.ssh.device_deadline_seconds, 1, 86400),
        n("ssh.max_output_mib", &s.ssh.max_output_mib, 1, 4096),
        t("sync.templates_dir", &s.sync.templates_dir),
        t("sync.settings_dir", &s.sync.settings_dir),
        n("sync.lock_wait_seconds", &s.sync.lock_wait_seconds, 0, 3600),
        n("sync.confirm_timer_seconds", &s.sync.confirm_timer_seconds, 60, 3600),
        n("sync.auto_push_max_score", &s.sync.auto_push_max_score, 0, 101),
        n("jobs.claim_batch", &j.claim_batch, 1, 10000),
        n("jobs.complete_batch", &j.complete_batch, 1, 10000),
        n("jobs.poll_interval_ms", &j.poll_interval_ms, 10, 600000),
        n("jobs.heartbeat_interval_ms", &j.heartbeat_interval_ms, 50, 60000),
        n("jobs.worker_lease_seconds", &j.worker_lease_seconds, 1, 3600),
        n("jobs.leader_lease_seconds", &j.leader_lease_seconds, 1, 3600),
        n("jobs.maintenance_interval_ms", &j.maintenance_interval_ms, 50, 600000),
        n("jobs.default_timeout_seconds", &j.default_timeout_seconds, 1, 7 * 86400),
        n("jobs.timeout_grace_seconds", &j.timeout_grace_seconds, 0, 3600),
        n("jobs.retry_backoff_base_ms", &j.retry_backoff_base_ms, 1, 3600000),
        n("jobs.retry_backoff_max_seconds", &j.retry_backoff_max_seconds, 1, 7 * 86400),
        n("jobs.progress_flush_ms", &j.progress_flush_ms, 10, 600000),
        n("jobs.shutdown_grace_seconds", &j.shutdown_grace_seconds, 0, 3600),
        n("jobs.retention_finished_hours", &j.retention_finished_hours, 0, 100000),
        n("jobs.retention_exception_hours", &j.retention_exception_hours, 0, 100000),
        n("jobs.retention_aborted_hours", &j.retention_aborted_hours, 0, 100000),
    };
}

std::string env_name(const std::string& path) {
    std::string out = "SWITCHYARD_";
    for (char c : path) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void assign(Field& f, const std::string& value, const std::string& where) {
    if (f.text) {
        *f.text = value;
        return;
    }
    std::size_t used = 0;
    long v = 0;
    try {
        v = std::stol(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || value.empty())
        throw std::runtime_error(where + ": " + f.path + " must be a whole number, not '" + value + "'");
    if (v < f.min || v > f.max)
        throw std::runtime_error(where + ": " + f.path + " must be between " + std::to_string(f.min) + " and " +
                                 std::to_string(f.max) + ", not " + value);
    *f.number = static_cast<int>(v);
}

const std::regex kQueueName("[a-z][a-z0-9_-]{0,62}");

void set_queue(Settings& s, const std::string& name, const std::string& value, const std::string& where) {
    if (!std::regex_match(name, kQueueName))
        throw std::runtime_error(where + ": queue name '" + name + "' must match [a-z][a-z0-9_-]*");
    Field f;
    f.path = "jobs.queues." + name;
    int c = 0;
    f.number = &c; f.min = 1; f.max = 10000;
    assign(f, value, where);
    s.jobs.queues[name] = c;
}

// "default=16,devices=4"
void set_queues(Settings& s, const std::string& spec, const std::string& where) {
    // Parsed into a copy: a bad entry leaves the settings as they were.
    Settings parsed = s;
    parsed.jobs.queues.clear();
    std::stringstream in(spec);
    std::string item;
    while (std::getline(in, item, ',')) {
        auto eq = item.find('=');
        if (eq == std::string::npos)
            throw std::runtime_error(where + ": jobs.queues wants name=concurrency pairs, not '" + item + "'");
        set_queue(parsed, item.substr(0, eq), item.substr(eq + 1), where);
    }
    s.jobs.queues = parsed.jobs.queues;
}

const std::regex kCredentialName("default|frr|eos|junos|group:[A-Za-z0-9_.-]{1,64}");

void set_credential(Settings& s, const std::string& name, const std::string& field, const std::string& value,
                    const std::string& where) {
    if (!std::regex_match(name, kCredentialName))
        throw std::runtime_error(where + ": credentials are named default, a platform (frr, eos, junos) or "
                                 "group:NAME, not '" + name + "'");
    auto& c = s.credentials[name];
    if (field == "username") c.username = value;
    else if (field == "password") c.password = value;
    else if (field == "key_file") c.key_file = value;
    else if (field == "key_passphrase") c.key_passphrase = value;
    else if (field == "enable_secret") c.enable_secret = value;
    else throw std::runtime_error(where + ": unknown credential field '" + field +
                                  "' (username, password, key_file, key_passphrase, enable_secret)");
}

}  // namespace

Settings::Settings() {
    data_dir = defaults::kDataDir;
    listen = defaults::kListen;
    log_level = defaults::kLogLevel;
    database = {"", defaults::kDbPoolSize, defaults::kDbConnectTimeoutSeconds};
    embedded = {std::string(defaults::kEmbeddedRunAs), "", defaults::kEmbeddedStartTimeoutSeconds,
                defaults::kEmbeddedMaxConnections};
    api = {defaults::kApiThreads, defaults::kApiMaxEventStreams, defaults::kApiMaxBodyBytes,
           defaults::kApiReadTimeoutSeconds, defaults::kApiWriteTimeoutSeconds, "", "", ""};
    ssh = {std::string(defaults::kHostKeyPolicy), "", defaults::kSshConnectTimeoutSeconds,
           defaults::kSshCommandTimeoutSeconds, defaults::kSshCommitTimeoutSeconds, defaults::kSshKeepaliveSeconds, defaults::kSshConcurrency,
           defaults::kDeviceDeadlineSeconds, defaults::kSshMaxOutputMib};
    sync = {"", "", defaults::kSyncLockWaitSeconds, defaults::kConfirmTimerSeconds, defaults::kAutoPushMaxScore};
    jobs.queues = {{std::string(defaults::kQueue), defaults::kQueueConcurrency}};
    jobs.claim_batch = defaults::kClaimBatch;
    jobs.complete_batch = defaults::kCompleteBatch;
    jobs.poll_interval_ms = defaults::kPollIntervalMs;
    jobs.heartbeat_interval_ms = defaults::kHeartbeatIntervalMs;
    jobs.worker_lease_seconds = defaults::kWorkerLeaseSeconds;
    jobs.leader_lease_seconds = defaults::kLeaderLeaseSeconds;
    jobs.maintenance_interval_ms = defaults::kMaintenanceIntervalMs;
    jobs.default_timeout_seconds = defaults::kJobTimeoutSeconds;
    jobs.timeout_grace_seconds = defaults::kTimeoutGraceSeconds;
    jobs.retry_backoff_base_ms = defaults::kRetryBackoffBaseMs;
    jobs.retry_backoff_max_seconds = defaults::kRetryBackoffMaxSeconds;
    jobs.progress_flush_ms = defaults::kProgressFlushMs;
    jobs.shutdown_grace_seconds = defaults::kShutdownGraceSeconds;
    jobs.retention_finished_hours = defaults::kRetentionFinishedHours;
    jobs.retention_exception_hours = defaults::kRetentionExceptionHours;
    jobs.retention_aborted_hours = defaults::kRetentionAbortedHours;
}

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

    auto all = fields(*this);
    // Walk the file, so that an unknown or misspelt key is an error, not ignored.
    std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& node,
                                                                         const std::string& prefix) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            std::string key = it->first.as<std::string>();
            std::string full = prefix.empty() ? key : prefix + "." + key;
            std::string where = path + " line " + std::to_string(it->first.Mark().line + 1);
            if (full == "credentials") {
                if (!it->second.IsMap()) throw std::runtime_error(where + ": credentials must map names to logins");
                for (auto c = it->second.begin(); c != it->second.end(); ++c) {
                    if (!c->second.IsMap())
                        throw std::runtime_error(where + ": credentials." + c->first.as<std::string>() + " must be a mapping");
                    for (auto f = c->second.begin(); f != c->second.end(); ++f)
                        set_credential(*this, c->first.as<std::string>(), f->first.as<std::string>(),
                                       f->second.as<std::string>(), where);
                }
                continue;
            }
            if (full == "jobs.queues") {
                if (!it->second.IsMap()) throw std::runtime_error(where + ": jobs.queues must map queue names to concurrency");
                jobs.queues.clear();
                for (auto q = it->second.begin(); q != it->second.end(); ++q)
                    set_queue(*this, q->first.as<std::string>(), q->second.as<std::string>(), where);
                continue;
            }
            if (it->second.IsMap()) {
                walk(it->second, full);
                continue;
            }
            auto f = std::find_if(all.begin(), all.end(), [&](const Field& x) { return x.path == full; });
            if (f == all.end()) throw std::runtime_error(where + ": unknown setting '" + full + "'");
            if (!it->second.IsScalar()) throw std::runtime_error(where + ": " + full + " must be a single value");
            assign(*f, it->second.as<std::string>(), where);
        }
    };
    walk(root, "");
}

void Settings::load_environment() {
    for (auto& f : fields(*this))
        if (const char* v = std::getenv(env_name(f.path).c_str())) assign(f, v, "environment " + env_name(f.path));
    if (const char* v = std::getenv("SWITCHYARD_JOBS_QUEUES")) set_queues(*this, v, "environment SWITCHYARD_JOBS_QUEUES");
    // Secrets are often handed over in the environment.
    for (std::string name : {"default", "frr", "eos", "junos"})
        for (std::string field : {"username", "password", "key_file", "key_passphrase", "enable_secret"}) {
            std::string var = "SWITCHYARD_CREDENTIALS_" + name + "_" + field;
            for (auto& ch : var) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            if (const char* v = std::getenv(var.c_str())) set_credential(*this, name, field, v, "environment " + var);
        }
}

void Settings::set(const std::string& path, const std::string& value) {
    if (path == "jobs.queues") return set_queues(*this, value, "--set");
    if (path.rfind("jobs.queues.", 0) == 0) return set_queue(*this, path.substr(12), value, "--set");
    if (path.rfind("credentials.", 0) == 0) {
        auto dot = path.rfind('.');
        if (dot <= 12) throw std::runtime_error("--set: use credentials.NAME.FIELD=value");
        return set_credential(*this, path.substr(12, dot - 12), path.substr(dot + 1), value, "--set");
    }
    for (auto& f : fields(*this))
        if (f.path == path) return assign(f, value, "--set");
    throw std::runtime_error("--set: unknown setting '" + path + "'");
}

void Settings::validate() const {
    if (jobs.queues.empty()) throw std::runtime_error("jobs.queues: at least one queue is needed");
    if (jobs.worker_lease_seconds * 1000 < 2 * jobs.heartbeat_interval_ms)
        throw std::runtime_error("jobs.worker_lease_seconds must be at least two heartbeat intervals");
    static const std::regex level("trace|debug|info|warn|error|critical|off");
    if (!std::regex_match(log_level, level))
        throw std::runtime_error("log_level must be one of trace, debug, info, warn, error, critical, off");
    static const std::regex policy("strict|accept-new|off");
    if (!std::regex_match(ssh.host_key_policy, policy))
        throw std::runtime_error("ssh.host_key_policy must be strict, accept-new or off");
    if (api.tls_cert_file.empty() != api.tls_key_file.empty())
        throw std::runtime_error("api.tls_cert_file and api.tls_key_file must be set together");
    if (api.max_event_streams >= api.threads)
        throw std::runtime_error("api.max_event_streams must be below api.threads (each stream holds a thread)");
    if (database.url.empty() && data_dir.empty()) throw std::runtime_error("data_dir is empty and no database.url is set");
}

std::string Settings::to_yaml_masked() const {
    Settings copy = *this;
    YAML::Emitter out;
    out << YAML::BeginMap;
    std::string section;
    auto close = [&] { if (!section.empty()) out << YAML::EndMap; };
    for (auto& f : fields(copy)) {
        auto dot = f.path.find('.');
        std::string sec = dot == std::string::npos ? "" : f.path.substr(0, dot);
        std::string key = dot == std::string::npos ? f.path : f.path.substr(dot + 1);
        if (sec != section) {
            close();
            section = sec;
            if (!sec.empty()) out << YAML::Key << sec << YAML::Value << YAML::BeginMap;
        }
        out << YAML::Key << key << YAML::Value;
        if (f.text) out << (f.secret ? mask_database_url(*f.text) : *f.text);
        else out << *f.number;
        if (f.path == "jobs.claim_batch") {  // keep queues beside the other job settings
            out << YAML::Key << "queues" << YAML::Value << YAML::BeginMap;
            for (auto& [q, c] : jobs.queues) out << YAML::Key << q << YAML::Value << c;
            out << YAML::EndMap;
        }
    }
    close();
    out << YAML::Key << "credentials" << YAML::Value << YAML::BeginMap;
    for (auto& [name, c] : credentials) {
        auto mask = [](const std::string& v) { return v.empty() ? std::string() : std::string("****"); };
        out << YAML::Key << name << YAML::Value << YAML::BeginMap << YAML::Key << "username" << YAML::Value
            << c.username << YAML::Key << "password" << YAML::Value << mask(c.password) << YAML::Key << "key_file"
            << YAML::Value << c.key_file << YAML::Key << "key_passphrase" << YAML::Value << mask(c.key_passphrase)
            << YAML::Key << "enable_secret" << YAML::Value << mask(c.enable_secret) << YAML::EndMap;
    }
    out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::vector<std::string> Settings::paths() {
    Settings s;
    std::vector<std::string> out;
    for (auto& f : fields(s)) out.push_back(f.path);
    out.push_back("jobs.queues");
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
