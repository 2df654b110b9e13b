#include "embedded_postgres.h"

#include "defaults.h"
#include "store/queries.h"

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace switchyard::store {
namespace {

// The socket path (dir + "/.s.PGSQL.5432") must fit in sockaddr_un.sun_path.
constexpr std::size_t kMaxSocketDirLength = 107 - 15;

int version_of(const fs::path& dir) {
    try {
        return std::stoi(dir.filename().string());
    } catch (const std::exception&) {
        return -1;
    }
}

std::string tail(const std::string& text, std::size_t lines) {
    std::size_t pos = text.size();
    while (lines-- > 0 && pos > 0) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) return text;
    }
    return text.substr(pos == 0 ? 0 : pos + 1);
}

}  // namespace

std::string find_postgres_bin_dir(const std::string& configured) {
    if (!configured.empty()) {
        if (!fs::exists(fs::path(configured) / "initdb"))
            throw std::runtime_error("embedded.pg_bin_dir " + configured + " has no initdb");
        return configured;
    }
    std::vector<fs::path> candidates;
    std::error_code ec;
    for (auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec))
        if (fs::exists(entry.path() / "bin" / "initdb")) candidates.push_back(entry.path());
    if (!candidates.empty()) {
        auto newest = std::max_element(candidates.begin(), candidates.end(),
                                       [](auto& a, auto& b) { return version_of(a) < version_of(b); });
        return (*newest / "bin").string();
    }
    if (const char* path = std::getenv("PATH")) {
        std::stringstream in(path);
        std::string dir;
        while (std::getline(in, dir, ':'))
            if (!dir.empty() && access((fs::path(dir) / "initdb").c_str(), X_OK) == 0 &&
                access((fs::path(dir) / "pg_ctl").c_str(), X_OK) == 0)
                return dir;
    }
    throw std::runtime_error(
        "PostgreSQL's server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/<version>/bin "
        "or on PATH; install them with `apt-get install postgresql`, set embedded.pg_bin_dir, "
        "or give --database-url to use an external server");
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options) : options_(std::move(options)) {
    cluster_dir_ = fs::absolute(fs::path(options_.data_dir) / "pg").lexically_normal().string();
    if (cluster_dir_.size() > kMaxSocketDirLength)
        throw std::runtime_error("data directory path is too long for PostgreSQL's unix socket (" + cluster_dir_ +
                                 " has " + std::to_string(cluster_dir_.size()) + " characters, at most " +
                                 std::to_string(kMaxSocketDirLength) + "); choose a shorter --data-dir");
    bin_dir_ = find_postgres_bin_dir(options_.pg_bin_dir);
    if (geteuid() == 0) {
        // PostgreSQL refuses to run as root: the cluster belongs to an
        // unprivileged system user.
        run_as_ = find_system_user(options_.run_as);
        if (!run_as_)
            throw std::runtime_error(
                "started as root, so the embedded PostgreSQL must run as an unprivileged user, but "
                "user '" +
                options_.run_as + "' does not exist; create it (useradd --system " + options_.run_as +
                ") or set embedded.run_as");
    }
}

EmbeddedPostgres::~EmbeddedPostgres() {
    if (started_by_us_) {
        try {
            stop();
        } catch (const std::exception& e) {
            spdlog::error("stopping the embedded PostgreSQL: {}", e.what());
        }
    }
}

ProcessResult EmbeddedPostgres::pg_ctl(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {bin_dir_ + "/pg_ctl", "-D", cluster_dir_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, run_as_);
}

bool EmbeddedPostgres::running() const {
    return fs::exists(fs::path(cluster_dir_) / "PG_VERSION") && pg_ctl({"status"}).exit_code == 0;
}

void EmbeddedPostgres::initdb() {
    fs::create_directories(cluster_dir_);
    fs::permissions(cluster_dir_, fs::perms::owner_all, fs::perm_options::replace);
    if (run_as_) {
        if (chown(cluster_dir_.c_str(), run_as_->uid, run_as_->gid) != 0)
            throw std::runtime_error("cannot give " + cluster_dir_ + " to user " + run_as_->name);
        if (!user_can_use_directory(*run_as_, cluster_dir_))
            throw std::runtime_error("user '" + run_as_->name + "', who runs the embedded PostgreSQL, cannot reach " +
                                     cluster_dir_ +
                                     " (a parent directory is not searchable by it, e.g. /root is 0700); "
                                     "choose a --data-dir outside such directories");
    }
    spdlog::info("creating the embedded PostgreSQL cluster in {}", cluster_dir_);
    auto r = run_process({bin_dir_ + "/initdb", "-D", cluster_dir_, "-U", std::string(defaults::kEmbeddedUser),
                          "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-instructions"},
                         run_as_);
    if (r.exit_code != 0) throw std::runtime_error("initdb failed:\n" + tail(r.output, 15));

    // Unix socket only, in the cluster directory (0700, so trust auth reaches
    // only its owner and root).
    std::ofstream conf(fs::path(cluster_dir_) / "postgresql.conf", std::ios::app);
    conf << "\n# Switchyard's embedded store\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = '" << cluster_dir_ << "'\n"
         << "max_connections = " << options_.max_connections << "\n"
         << "shared_buffers = 128MB\n"
         << "logging_collector = off\n"
         << "log_min_messages = warning\n";
    if (options_.unsafe_fast) conf << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
}

void EmbeddedPostgres::start() {
    if (!fs::exists(fs::path(cluster_dir_) / "PG_VERSION")) initdb();
    if (pg_ctl({"status"}).exit_code == 0) {
        // A previous switchyard process died and left its server running; we
        // hold the data directory lock, so the server is ours to use.
        spdlog::warn("the embedded PostgreSQL in {} was still running; using it", cluster_dir_);
    } else {
        auto r = pg_ctl({"-l", cluster_dir_ + "/postgres.log", "-w", "-t",
                         std::to_string(options_.start_timeout_seconds), "start"});
        if (r.exit_code != 0) {
            std::ifstream log(cluster_dir_ + "/postgres.log");
            std::stringstream text;
            text << log.rdbuf();
            throw std::runtime_error("the embedded PostgreSQL did not start:\n" + tail(r.output, 5) +
                                     tail(text.str(), 10));
        }
    }
    started_by_us_ = true;
    create_database();
}

void EmbeddedPostgres::stop() {
    if (!started_by_us_) return;
    started_by_us_ = false;
    auto r = pg_ctl({"-m", "fast", "-w", "-t", "60", "stop"});
    if (r.exit_code != 0) throw std::runtime_error("pg_ctl stop failed: " + tail(r.output, 5));
}

void EmbeddedPostgres::restart() {
    auto r = pg_ctl({"-m", "fast", "-w", "-t", "60", "-l", cluster_dir_ + "/postgres.log", "restart"});
    if (r.exit_code != 0) throw std::runtime_error("pg_ctl restart failed: " + tail(r.output, 5));
}

std::string EmbeddedPostgres::url() const {
    return "postgresql:///" + std::string(defaults::kEmbeddedDatabase) + "?host=" + cluster_dir_ +
           "&user=" + std::string(defaults::kEmbeddedUser);
}

void EmbeddedPostgres::create_database() {
    pqxx::connection conn("postgresql:///postgres?host=" + cluster_dir_ +
                          "&user=" + std::string(defaults::kEmbeddedUser));
    pqxx::nontransaction tx(conn);
    if (sql::embedded::database_exists(tx, {.name = std::string(defaults::kEmbeddedDatabase)})) return;
    // The one statement not in a .sql file: a database name is an identifier,
    // which no statement parameter can carry (a constant, quoted).
    tx.exec("CREATE DATABASE " + tx.quote_name(std::string(defaults::kEmbeddedDatabase)));
}

}  // namespace switchyard::store
