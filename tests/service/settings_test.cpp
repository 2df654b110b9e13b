#include "settings.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

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
    s.log_level = "loud";
    CHECK_THROWS_WITH(s.validate(), Catch::Contains("log_level"));
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
    s.ssh.host_key_policy = "trust-me";
    CHECK_THROWS_WITH(s.validate(), Catch::Contains("host_key_policy"));
}
