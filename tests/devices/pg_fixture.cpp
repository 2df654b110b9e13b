#include "pg_fixture.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <pqxx/pqxx>
#include <stdexcept>

#include "process.h"

namespace fs = std::filesystem;

namespace switchyard::devices::testing {
namespace {

std::string postgres_bin() {
    std::string best;
    for (auto& e : fs::directory_iterator("/usr/lib/postgresql"))
        if (fs::exists(e.path() / "bin" / "initdb") && e.path().string() > best) best = e.path().string();
    if (best.empty()) throw std::runtime_error("PostgreSQL server binaries not found under /usr/lib/postgresql");
    return best + "/bin";
}

// Runs a PostgreSQL tool, as `postgres` when we are root.
int pg_tool(const std::vector<std::string>& argv, const std::string& log) {
    if (geteuid() != 0) return run_command(argv, log);
    std::vector<std::string> wrapped{"runuser", "-u", "postgres", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return run_command(wrapped, log);
}

}  // namespace

PgFixture::PgFixture() : dir_(make_temp_dir("sy-devices-pg")), bin_(postgres_bin()), port_(free_port()) {
    if (geteuid() == 0) {
        passwd* pw = getpwnam("postgres");
        if (!pw) throw std::runtime_error("running as root needs a `postgres` user for the test cluster");
        if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown of " + dir_ + " failed");
    }
    std::string log = dir_ + "/log";
    if (pg_tool({bin_ + "/initdb", "-D", dir_ + "/data", "-A", "trust", "-U", "postgres", "--no-sync"}, log) != 0)
        throw std::runtime_error("initdb failed: " + read_file(log));
    std::string opts = "-k " + dir_ + " -p " + std::to_string(port_) + " -c listen_addresses='' -c fsync=off";
    if (pg_tool({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-o", opts, "-w", "-l", dir_ + "/server.log", "start"}, log) != 0)
        throw std::runtime_error("pg_ctl start failed: " + read_file(dir_ + "/server.log"));
    pqxx::connection conn(url());
    pqxx::work tx(conn);
    tx.exec(read_file(std::string(SY_SOURCE_DIR) + "/service/sql/migrations/0010_devices.sql"));
    tx.commit();
}

PgFixture::~PgFixture() {
    pg_tool({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "stop"}, "");
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string PgFixture::url() const {
    return "host=" + dir_ + " port=" + std::to_string(port_) + " user=postgres dbname=postgres";
}

}  // namespace switchyard::devices::testing
