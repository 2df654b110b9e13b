// Host keys as serve handles them (the trust on first use, its events and
// the host-keys commands run against the simulator in tests/cli/cli_test.sh).
#include "serve_process.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

TEST_CASE("serve warns loudly when host keys are not checked", "[processes][hostkey]") {
    Db db;
    auto dir = temp_dir();
    auto off = serve(db.url, dir + "/off.log", {"--set", "ssh.host_key_policy=off"});
    CHECK(off->log().find("ssh.host_key_policy is off: device host keys are NOT checked") != std::string::npos);
    auto checked = serve(db.url, dir + "/checked.log");
    CHECK(checked->log().find("host_key_policy") == std::string::npos);
    for (auto* p : {off.get(), checked.get()}) CHECK(terminate(*p).code == 0);
    std::filesystem::remove_all(dir);
}
