// Secrets stay out of what other local users can read: the embedded
// PostgreSQL gets none of serve's environment, and a secret on the command
// line is warned about (masked) and blanked in the process's own arguments.
#include "serve_process.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Sets an environment variable for the processes a test starts.
struct ScopedEnv {
    std::string name;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) { setenv(name.c_str(), value.c_str(), 1); }
    ~ScopedEnv() { unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("the embedded PostgreSQL sees none of serve's environment", "[processes][secrets]") {
    auto dir = temp_dir();
    auto data = dir + "/data";
    ScopedEnv password("SWITCHYARD_CREDENTIALS_DEFAULT_PASSWORD", "env-device-secret-4711");
    auto p =
        start_serving({SWITCHYARD_BIN, "serve", "--data-dir", data, "--listen", "127.0.0.1:0"}, dir + "/serve.log");

    // The postmaster's pid is the first line of postmaster.pid; its backends
    // are forked from it and inherit its environment.
    std::string pid = read_all(data + "/pg/postmaster.pid");
    pid = pid.substr(0, pid.find('\n'));
    REQUIRE(!pid.empty());
    std::string postmaster_env = read_all("/proc/" + pid + "/environ");
    REQUIRE(!postmaster_env.empty());
    CHECK(postmaster_env.find("SWITCHYARD_") == std::string::npos);
    CHECK(postmaster_env.find("env-device-secret-4711") == std::string::npos);
    // serve itself has it (the test would prove nothing otherwise).
    CHECK(read_all("/proc/" + std::to_string(p->pid()) + "/environ").find("env-device-secret-4711") !=
          std::string::npos);

    CHECK(terminate(*p).code == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("secrets on the command line are warned about masked, and blanked in the process's arguments",
          "[processes][secrets]") {
    SECTION("a client command") {
        auto [code, out] = run_command({SWITCHYARD_BIN, "config", "show", "--database-url",
                                        "postgresql://sy:pg-argv-secret@127.0.0.1/sy", "--set",
                                        "credentials.default.password=device-argv-secret"});
        INFO(out);
        CHECK(code == 0);
        CHECK(
            out.find("a credential was given on the command line (--database-url postgresql://sy:****@127.0.0.1/sy)") !=
            std::string::npos);
        CHECK(out.find("(--set credentials.default.password=****)") != std::string::npos);
        CHECK(out.find("--database-url-file") != std::string::npos);  // says what to do instead
        CHECK(out.find("pg-argv-secret") == std::string::npos);
        CHECK(out.find("device-argv-secret") == std::string::npos);
    }
    SECTION("every secret setting, not only database and device logins") {
        auto [code, out] = run_command({SWITCHYARD_BIN, "config", "show", "--set",
                                        "sync.templates_repo.url=https://ann:repo-url-secret@git.example.net/t.git",
                                        "--set", "sync.templates_repo.password=repo-argv-secret", "--set",
                                        "sync.settings_repo.ssh_key_passphrase=repo-passphrase-secret", "--set",
                                        "credentials.eos.enable_secret=enable-argv-secret"});
        INFO(out);
        CHECK(code == 0);
        CHECK(out.find("(--set sync.templates_repo.url=https://ann:****@git.example.net/t.git)") != std::string::npos);
        CHECK(out.find("(--set sync.templates_repo.password=****)") != std::string::npos);
        CHECK(out.find("(--set sync.settings_repo.ssh_key_passphrase=****)") != std::string::npos);
        CHECK(out.find("(--set credentials.eos.enable_secret=****)") != std::string::npos);
        for (auto secret : {"repo-url-secret", "repo-argv-secret", "repo-passphrase-secret", "enable-argv-secret"})
            CHECK(out.find(secret) == std::string::npos);
    }
    SECTION("serve, whose /proc/PID/cmdline no longer shows it") {
        Db db;
        auto dir = temp_dir();
        // libpq takes the password from the URL (trust auth ignores it).
        auto p = serve(db.url + "&password=serve-argv-secret", dir + "/serve.log");
        std::string cmdline = read_all("/proc/" + std::to_string(p->pid()) + "/cmdline");
        CHECK(cmdline.find("serve-argv-secret") == std::string::npos);
        CHECK(cmdline.find("password=*****") != std::string::npos);
        CHECK(p->log().find("a credential was given on the command line (--database-url") != std::string::npos);
        CHECK(p->log().find("serve-argv-secret") == std::string::npos);
        CHECK(terminate(*p).code == 0);
        std::filesystem::remove_all(dir);
    }
}

TEST_CASE("the database URL can come from a file or the environment instead of argv", "[processes][secrets]") {
    Db db;
    auto dir = temp_dir();
    std::ofstream(dir + "/url") << db.url << "\n";
    SECTION("--database-url-file") {
        auto p = start_serving({SWITCHYARD_BIN, "serve", "--database-url-file", dir + "/url", "--listen", "127.0.0.1:0",
                                "--data-dir", dir + "/data"},
                               dir + "/serve.log");
        CHECK(p->log().find("a credential was given") == std::string::npos);
        auto id = db.enqueue("noop", nlohmann::json::object());
        REQUIRE(wait_for([&] { return db.status(id) == "FINISHED"; }));
        CHECK(terminate(*p).code == 0);
    }
    SECTION("SWITCHYARD_DATABASE_URL") {
        ScopedEnv url("SWITCHYARD_DATABASE_URL", db.url);
        auto p = start_serving({SWITCHYARD_BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir + "/data"},
                               dir + "/serve.log");
        auto id = db.enqueue("noop", nlohmann::json::object());
        REQUIRE(wait_for([&] { return db.status(id) == "FINISHED"; }));
        CHECK(terminate(*p).code == 0);
    }
    SECTION("not both") {
        auto [code, out] = run_command(
            {SWITCHYARD_BIN, "config", "show", "--database-url", db.url, "--database-url-file", dir + "/url"});
        CHECK(code == 1);
        CHECK(out.find("give --database-url or --database-url-file, not both") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
