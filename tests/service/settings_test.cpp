#include "device_access.h"
#include "settings.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

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
    CHECK(mask_database_url("postgresql:///sy?host=/tmp&password=hunter2") == "postgresql:///sy?host=/tmp&password=****");
}

TEST_CASE("device credentials: file, environment and --set; masked when shown", "[settings]") {
    Settings s;
    s.load_file(write_temp("credentials:\n  default:\n    username: admin\n    password: s3cret-one\n"
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
    s.set("jobs.heartbeat_interval_ms", "4000");
    CHECK_THROWS_WITH(s.validate(), Catch::Contains("two heartbeat intervals"));
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
    INFO("README.md's settings table differs from settings.def; run\n"
         "  SWITCHYARD_WRITE_README=1 build-test/bin/test_service_unit '[readme]'");
    CHECK(readme.substr(from, to - from) == table);
}
