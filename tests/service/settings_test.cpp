#include "settings.h"
#include "device_access.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

using namespace switchyard;

namespace {
std::string write_temp(const std::string& text) {
    std::string path = "/tmp/sy-settings-" + std::to_string(std::rand()) + ".yaml";
    std::ofstream(path) << text;
    return path;
}
}  // namespace

TEST_CASE("settings come from the file, then the environment, then --set", "[settings]") {
    Settings s;
    s.load_file(write_temp("data_dir: /srv/sy\njobs:\n  claim_batch: 20\n  queues:\n    default: 4\n    devices: 2\n"));
    CHECK(s.data_dir == "/srv/sy");
    CHECK(s.jobs.claim_batch == 20);
    CHECK(s.jobs.queues.at("devices") == 2);
    setenv("SWITCHYARD_JOBS_CLAIM_BATCH", "30", 1);
    s.load_environment();
    unsetenv("SWITCHYARD_JOBS_CLAIM_BATCH");
    CHECK(s.jobs.claim_batch == 30);
    s.set("jobs.claim_batch", "40");
    CHECK(s.jobs.claim_batch == 40);
    s.validate();
}

TEST_CASE("bad settings are refused naming the file, line and key", "[settings]") {
    Settings s;
    CHECK_THROWS_WITH(s.load_file(write_temp("jobs:\n  claim_bacth: 5\n")),
                      Catch::Contains("line 2") && Catch::Contains("unknown setting 'jobs.claim_bacth'"));
    CHECK_THROWS_WITH(s.load_file(write_temp("jobs:\n  claim_batch: many\n")), Catch::Contains("whole number"));
    CHECK_THROWS_WITH(s.load_file(write_temp("jobs:\n  claim_batch: 0\n")), Catch::Contains("between 1 and"));
    CHECK_THROWS_WITH(s.load_file(write_temp("jobs: [1, 2\n")), Catch::Contains("not valid YAML"));
    CHECK_THROWS_WITH(s.load_file("/nonexistent/sy.yaml"), Catch::Contains("cannot read"));
    CHECK_THROWS_WITH(s.set("nope", "1"), Catch::Contains("unknown setting 'nope'"));
    CHECK_THROWS_WITH(s.set("jobs.queues", "Bad Name=3"), Catch::Contains("queue name"));
    CHECK_THROWS_WITH(s.set("log_level", "loud"), Catch::Contains("log_level"));
}

TEST_CASE("config show masks database passwords", "[settings]") {
    Settings s;
    s.database.url = "postgresql://sy:hunter2@db.example/sy";
    auto shown = s.to_yaml_masked();
    CHECK(shown.find("hunter2") == std::string::npos);
    CHECK(shown.find("postgresql://sy:****@db.example/sy") != std::string::npos);
    CHECK(mask_database_url("host=db password=hunter2 user=sy") == "host=db password=**** user=sy");
    CHECK(mask_database_url("postgresql:///sy?host=/tmp&password=hunter2") ==
          "postgresql:///sy?host=/tmp&password=****");
}

TEST_CASE("device credentials: file, environment and --set; masked when shown", "[settings]") {
    Settings s;
    s.load_file(
        write_temp("credentials:\n  default:\n    username: admin\n    password: s3cret-one\n"
                   "  group:campus:\n    username: campus\n    key_file: /etc/sy/campus_key\n"));
    setenv("SWITCHYARD_CREDENTIALS_EOS_PASSWORD", "s3cret-two", 1);
    s.load_environment();
    unsetenv("SWITCHYARD_CREDENTIALS_EOS_PASSWORD");
    s.set("credentials.junos.key_passphrase", "s3cret-three");
    CHECK(s.credentials.at("default").password == "s3cret-one");
    CHECK(s.credentials.at("group:campus").key_file == "/etc/sy/campus_key");
    CHECK(s.credentials.at("eos").password == "s3cret-two");
    auto shown = s.to_yaml_masked();
    CHECK(shown.find("s3cret") == std::string::npos);
    CHECK(shown.find("****") != std::string::npos);
    CHECK_THROWS_WITH(s.set("credentials.ios.password", "x"), Catch::Contains("platform"));
    CHECK_THROWS_WITH(s.set("credentials.default.token", "x"), Catch::Contains("unknown credential field"));
    CHECK_THROWS_WITH(s.set("ssh.host_key_policy", "trust-me"), Catch::Contains("host_key_policy"));
}

TEST_CASE("templates and settings repositories: file, environment and --set by field; secrets masked when shown",
          "[settings]") {
    Settings s;
    s.load_file(
        write_temp("sync:\n  templates_repo:\n    url: https://git.example/templates.git\n"
                   "    branch: main\n    username: sy\n    password: s3cret-one\n"));
    setenv("SWITCHYARD_SYNC_SETTINGS_REPO_URL", "https://sy:s3cret-two@git.example/settings.git", 1);
    setenv("SWITCHYARD_SYNC_SETTINGS_REPO_SSH_KEY_PASSPHRASE", "s3cret-three", 1);
    s.load_environment();
    unsetenv("SWITCHYARD_SYNC_SETTINGS_REPO_URL");
    unsetenv("SWITCHYARD_SYNC_SETTINGS_REPO_SSH_KEY_PASSPHRASE");
    s.set("sync.settings_repo.branch", "prod");
    s.set("sync.git_timeout_seconds", "30");
    CHECK(s.sync.templates_repo.url == "https://git.example/templates.git");
    CHECK(s.sync.templates_repo.branch == "main");
    CHECK(s.sync.templates_repo.password == "s3cret-one");
    CHECK(s.sync.settings_repo.url == "https://sy:s3cret-two@git.example/settings.git");
    CHECK(s.sync.settings_repo.ssh_key_passphrase == "s3cret-three");
    CHECK(s.sync.settings_repo.branch == "prod");
    CHECK(s.sync.git_timeout_seconds == std::chrono::seconds(30));
    auto shown = s.to_yaml_masked();
    CHECK(shown.find("s3cret") == std::string::npos);
    CHECK(shown.find("https://sy:****@git.example/settings.git") != std::string::npos);
    CHECK_THROWS_WITH(s.set("sync.templates_repo.token", "x"),
                      Catch::Contains("--set: sync.templates_repo has no field 'token'"));
    CHECK_THROWS_WITH(s.set("sync.templates_repo", "https://git.example/t.git"), Catch::Contains("one at a time"));
    CHECK_THROWS_WITH(Settings().load_file(write_temp("sync:\n  settings_repo: https://git.example/s.git\n")),
                      Catch::Contains("line 2: sync.settings_repo must be a mapping"));
    CHECK_THROWS_WITH(s.set("sync.git_timeout_seconds", "0"), Catch::Contains("between 1 and 3600"));
}

TEST_CASE("durations are read in the unit their key names", "[settings]") {
    Settings s;
    s.set("jobs.poll_interval_ms", "250");
    s.set("jobs.worker_lease_seconds", "7");
    s.set("jobs.retention_finished_hours", "2");
    CHECK(s.jobs.poll_interval_ms == std::chrono::milliseconds(250));
    CHECK(s.jobs.worker_lease_seconds == std::chrono::seconds(7));
    CHECK(s.jobs.retention_finished_hours == std::chrono::minutes(120));
    // Ranges compare in the setting's own unit.
    CHECK_THROWS_WITH(s.set("jobs.poll_interval_ms", "9"), Catch::Contains("between 10 and 600000"));
    CHECK_THROWS_WITH(s.set("sync.confirm_timer_seconds", "59"), Catch::Contains("between 60 and 3600"));
    // Two settings in different units checked against each other.
    s.set("jobs.heartbeat_interval_ms", "1750");
    CHECK_NOTHROW(s.validate());  // 7 s is four intervals
    s.set("jobs.heartbeat_interval_ms", "1751");
    CHECK_THROWS_WITH(s.validate(), Catch::Contains("four heartbeat intervals"));
}

TEST_CASE("the devices library used alone and the service's defaults agree", "[settings]") {
    const Settings s;
    const devices::SshOptions library;
    const devices::SshOptions service = ssh_options(s);
    CHECK(service.host_key_policy == library.host_key_policy);
    CHECK(service.connect_timeout == library.connect_timeout);
    CHECK(service.command_timeout == library.command_timeout);
    CHECK(service.commit_timeout == library.commit_timeout);
    CHECK(service.keepalive_interval == library.keepalive_interval);
    CHECK(service.max_output_bytes == library.max_output_bytes);
    const devices::FanoutOptions fanout_library;
    const devices::FanoutOptions fanout_service = fanout_options(s);
    CHECK(fanout_service.concurrency == fanout_library.concurrency);
    CHECK(fanout_service.deadline == fanout_library.deadline);
}

// The README's settings table is `switchyard config reference`. To rewrite it:
//   SWITCHYARD_WRITE_README=1 build-test/bin/test_service_unit '[readme]'
TEST_CASE("the README's settings table is the one settings.def derives", "[settings][readme]") {
    const std::string path = std::string(SWITCHYARD_SOURCE_DIR) + "/README.md";
    const std::string begin = "<!-- settings table: switchyard config reference -->\n";
    const std::string end = "<!-- end of settings table -->";
    std::ifstream in(path);
    REQUIRE(in);
    std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto from = readme.find(begin);
    auto to = readme.find(end);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    from += begin.size();
    const std::string table = Settings::reference_table();
    if (std::getenv("SWITCHYARD_WRITE_README")) {
        readme.replace(from, to - from, table);
        std::ofstream(path) << readme;
    }
    INFO(
        "README.md's settings table differs from settings.def; run\n"
        "  SWITCHYARD_WRITE_README=1 build-test/bin/test_service_unit '[readme]'");
    CHECK(readme.substr(from, to - from) == table);
}

namespace {

// Every setting settings.def declares, with a value its type refuses (empty:
// none, any text is valid) and one above its range (empty: no range).
struct Declared {
    std::string path, bad, above_max;
};

template <typename T>
std::string value_refused() {
    if constexpr (std::is_same_v<T, Text> || std::is_same_v<T, DatabaseUrl> || std::is_same_v<T, Credentials> ||
                  std::is_same_v<T, GitRepository>)
        return "";
    else if constexpr (std::is_same_v<T, QueueConcurrency>) return "Bad Name=3";
    else return "soon";  // numbers, durations and enums alike refuse it
}

template <typename T>
std::string above(const std::optional<T>& max) {
    if constexpr (std::is_same_v<T, int>) return max ? std::to_string(static_cast<long>(*max) + 1) : "";
    else if constexpr (requires(T v) { v.count(); })
        return max ? std::to_string(static_cast<long>(max->count()) + 1) : "";
    else return "";
}

std::vector<Declared> declared_settings() {
    constexpr auto none = std::nullopt;
    return {
#define SY_TOP_SETTING(key, type, default_value, min, max, doc) \
    {#key, value_refused<type>(), above<type>(std::optional<type>(max))},
#define SY_SECTION(section)
#define SY_SETTING(section, key, type, default_value, min, max, doc) \
    {#section "." #key, value_refused<type>(), above<type>(std::optional<type>(max))},
#define SY_END_SECTION(section)
#include "settings.def"
#undef SY_TOP_SETTING
#undef SY_SECTION
#undef SY_SETTING
#undef SY_END_SECTION
    };
}

// "jobs.claim_batch", "x" -> "jobs:\n  claim_batch: x\n"; the key is on the
// file's last line.
std::string yaml_setting(const std::string& path, const std::string& value) {
    auto dot = path.find('.');
    if (dot == std::string::npos) return path + ": \"" + value + "\"\n";
    return path.substr(0, dot) + ":\n  " + path.substr(dot + 1) + ": \"" + value + "\"\n";
}

std::string env_name(const std::string& path) {
    std::string out = "SWITCHYARD_";
    for (char c : path) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

TEST_CASE("a bad value of any setting is refused naming the setting and where it came from", "[settings]") {
    int checked = 0;
    for (const Declared& d : declared_settings()) {
        if (d.path == "jobs.queues") continue;  // a YAML map: checked below
        for (const std::string& bad : {d.bad, d.above_max}) {
            if (bad.empty()) continue;
            INFO(d.path << " = " << bad);
            const std::string file = write_temp(yaml_setting(d.path, bad));
            const std::string line = d.path.find('.') == std::string::npos ? "line 1" : "line 2";
            Settings s;
            CHECK_THROWS_WITH(s.load_file(file),
                              Catch::Contains(file + " " + line + ": " + d.path + " must") && Catch::Contains(bad));
            std::remove(file.c_str());
            const std::string var = env_name(d.path);
            setenv(var.c_str(), bad.c_str(), 1);
            CHECK_THROWS_WITH(s.load_environment(), Catch::Contains("environment " + var + ": " + d.path + " must"));
            unsetenv(var.c_str());
            CHECK_THROWS_WITH(s.set(d.path, bad), Catch::Contains("--set: " + d.path + " must"));
            ++checked;
        }
    }
    // Every number, duration and enum setting (not text) was checked.
    CHECK(checked > 40);
    const std::string file = write_temp("jobs:\n  queues:\n    default: 4\n    fast: 0\n");
    CHECK_THROWS_WITH(Settings().load_file(file),
                      Catch::Contains(file + " line 2: jobs.queues.fast must be between 1"));
    std::remove(file.c_str());
}

TEST_CASE("every setting has its row in the README's settings table", "[settings][readme]") {
    std::ifstream in(std::string(SWITCHYARD_SOURCE_DIR) + "/README.md");
    REQUIRE(in);
    const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto declared = declared_settings();
    CHECK(declared.size() >= 50);
    for (const Declared& d : declared) {
        INFO(d.path << " has no row in README.md's settings table");
        CHECK(readme.find("\n| `" + d.path + "` |") != std::string::npos);
    }
}
