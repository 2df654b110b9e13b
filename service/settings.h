// Settings: every tunable of the service, from defaults (defaults.h), then a
// YAML config file, then SWITCHYARD_* environment variables, then flags.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace switchyard {

struct Settings {
    std::string data_dir;
    std::string listen;
    std::string log_level;

    struct Database {
        std::string url;  // empty: the embedded cluster under data_dir
        int pool_size;
        int connect_timeout_seconds;
    } database;

    struct Embedded {
        std::string run_as;      // system user for the cluster when started as root
        std::string pg_bin_dir;  // empty: found under /usr/lib/postgresql/<v>/bin or PATH
        int start_timeout_seconds;
        int max_connections;
    } embedded;

    struct Api {
        int threads;                 // HTTP worker threads (an event stream holds one)
        int max_event_streams;       // concurrent /events clients
        int max_body_bytes;
        int read_timeout_seconds;
        int write_timeout_seconds;
        std::string tls_cert_file;   // both set: HTTPS
        std::string tls_key_file;
        std::string jwt_public_key_file;  // set: ES256 tokens; else HS256 with DIR/jwt-secret
    } api;

    // How Switchyard reaches devices (devices/ssh_session.h).
    struct Ssh {
        std::string host_key_policy;   // strict | accept-new | off
        std::string known_hosts_file;  // strict: empty means ~/.ssh/known_hosts
        int connect_timeout_seconds;
        int command_timeout_seconds;
        int commit_timeout_seconds;    // a device commit (eos, junos) before it counts as lost
        int keepalive_seconds;
        int concurrency;               // devices in flight at once
        int device_deadline_seconds;   // per device, retries included
        int max_output_mib;            // what one command may print before the device fails
    } ssh;

    struct Sync {
        std::string templates_dir;   // empty: the bundled templates
        std::string settings_dir;    // empty: the bundled example settings
        int lock_wait_seconds;       // a live sync waits this long for the devices lock
        int confirm_timer_seconds;   // confirm_mode 1 and 2: the device's rollback timer
        int auto_push_max_score;     // auto_push: a dry run scoring under this is pushed
    } sync;

    // Device login, by "default", a platform ("frr", "eos", "junos") or
    // "group:NAME"; the most specific match wins (group, platform, default).
    struct Credential {
        std::string username, password, key_file, key_passphrase;
        std::string enable_secret;  // eos: answer to `enable`'s password prompt
    };
    std::map<std::string, Credential> credentials;

    struct Jobs {
        std::map<std::string, int> queues;  // queue name -> concurrency
        int claim_batch;
        int complete_batch;
        int poll_interval_ms;
        int heartbeat_interval_ms;
        int worker_lease_seconds;
        int leader_lease_seconds;
        int maintenance_interval_ms;
        int default_timeout_seconds;
        int timeout_grace_seconds;
        int retry_backoff_base_ms;
        int retry_backoff_max_seconds;
        int progress_flush_ms;
        int shutdown_grace_seconds;
        int retention_finished_hours;
        int retention_exception_hours;
        int retention_aborted_hours;
    } jobs;

    Settings();  // the defaults

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

    // The paths of every setting, for help texts.
    static std::vector<std::string> paths();
};

// postgresql://user:secret@host/db -> postgresql://user:****@host/db; also
// masks password=... in key/value connection strings.
std::string mask_database_url(const std::string& url);

}  // namespace switchyard
