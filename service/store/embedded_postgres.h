// A private PostgreSQL cluster under the data directory: initdb on first
// start, pg_ctl to start and stop, unix socket only (no TCP port).
#pragma once

#include "process_runner.h"

#include <optional>
#include <string>

namespace switchyard::store {

struct EmbeddedPostgresOptions {
    std::string data_dir;    // the cluster lives in data_dir/pg
    std::string run_as;      // system user for the cluster when we are root
    std::string pg_bin_dir;  // empty: search Debian's and PATH
    int start_timeout_seconds = 60;
    int max_connections = 200;
    // Tests only: fsync off. Never for a store that should survive a crash.
    bool unsafe_fast = false;
};

class EmbeddedPostgres {
public:
    explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
    ~EmbeddedPostgres();  // stops the cluster if this object started it
    EmbeddedPostgres(const EmbeddedPostgres&) = delete;
    EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

    // Creates the cluster if needed, starts it (or adopts one left running by
    // a previous process of ours that died), and creates the database.
    // Throws std::runtime_error with what went wrong and PostgreSQL's own words.
    void start();
    void stop();
    // Stops and starts the server (tests of reconnection).
    void restart();
    bool running() const;

    // libpq URL reaching the cluster through its socket.
    std::string url() const;
    std::string cluster_dir() const { return cluster_dir_; }

private:
    ProcessResult pg_ctl(const std::vector<std::string>& args) const;
    void initdb();
    void create_database();

    EmbeddedPostgresOptions options_;
    std::string bin_dir_;
    std::string cluster_dir_;
    std::optional<SystemUser> run_as_;
    bool started_by_us_ = false;
};

// Where PostgreSQL's server programs are: `configured` if given, else the
// newest /usr/lib/postgresql/<version>/bin, else the directory of `initdb` on
// PATH. Throws with an install hint when none has initdb.
std::string find_postgres_bin_dir(const std::string& configured);

}  // namespace switchyard::store
