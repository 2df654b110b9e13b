// Switchyard's frr driver against real FRRouting routers (tests/lab): read the
// running config over SSH, load a changed candidate, commit, and check the
// change with vtysh directly; then a commit-confirm that is rolled back.
#include "devices/device_connection.h"
#include "devices/errors.h"
#include "devices/host_key_store.h"
#include "devices/normalize.h"

#include <sys/wait.h>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

using namespace switchyard::devices;
using nlohmann::json;

namespace {

const std::string kLab = LAB_SCRIPTS_DIR;
const std::string kLabDir = "/tmp/switchyard-lab-driver";

struct Ran {
    int status;  // the shell's exit status, -1 when it did not exit
    std::string out;
};

Ran run(const std::string& command) {
    std::string out;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf;
    while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Brings the lab up for the test and always takes it down again.
struct Lab {
    json inventory;
    Lab() {
        std::string env = "SWITCHYARD_LAB_DIR=" + kLabDir + " SWITCHYARD_LAB_PREFIX=sydrv ";
        auto up = run(env + "bash " + kLab + "/up.sh 3");
        INFO(up.out);
        REQUIRE(up.status == 0);
        std::ifstream in(kLabDir + "/inventory.json");
        inventory = json::parse(in);
        REQUIRE(inventory.size() == 3);
    }
    ~Lab() { run("SWITCHYARD_LAB_DIR=" + kLabDir + " SWITCHYARD_LAB_PREFIX=sydrv bash " + kLab + "/down.sh"); }
    // What vtysh printed; a vtysh that failed fails the test (its error
    // text must not pass for a config that lacks a line).
    static std::string vtysh(const json& router, const std::string& command) {
        auto r = run("ip netns exec " + router["netns"].get<std::string>() + " vtysh -N " +
                     router["pathspace"].get<std::string>() + " -c '" + command + "'");
        INFO("vtysh -c '" << command << "': " << r.out);
        REQUIRE(r.status == 0);
        return r.out;
    }
    // The router's running config as vtysh prints it: a whole one, so that
    // a line missing from it means something.
    static std::string running_config(const json& router) {
        auto out = vtysh(router, "show running-config");
        REQUIRE(out.find("\nhostname " + router["hostname"].get<std::string>() + "\n") != std::string::npos);
        REQUIRE(out.find("\nend") != std::string::npos);
        return out;
    }
};

Device device_of(const json& r) {
    Device d;
    d.hostname = r["hostname"];
    d.management_ip = r["management_ip"];
    d.port = r["port"];
    d.platform = Platform::frr;
    return d;
}

// An SSH connection to a lab router with its key, trusting its host key on
// first use (the lab makes new ones each time it comes up).
std::unique_ptr<DeviceConnection> connect(const json& router, MemoryHostKeyStore& keys) {
    SshOptions ssh;
    ssh.host_key_policy = HostKeyPolicy::accept_new;
    ssh.host_key_store = &keys;
    Credentials login;
    login.username = router["username"];
    login.key_file = router["key_path"];
    return std::make_unique<DeviceConnection>(device_of(router), login, ssh);
}

}  // namespace

TEST_CASE("the frr driver reads, changes and rolls back real FRR routers", "[lab][frr]") {
    Lab lab;
    MemoryHostKeyStore keys;
    for (auto& router : lab.inventory) {
        INFO(router["hostname"]);
        auto conn = connect(router, keys);
        Driver& frr = conn->driver();

        std::string running = frr.running_config();
        CHECK(running.find("hostname " + router["hostname"].get<std::string>()) != std::string::npos);

        // A static route and an interface description: added by the driver's
        // own change set, checked with vtysh on the router.
        std::string candidate = running;
        auto end = candidate.rfind("end");
        REQUIRE(end != std::string::npos);
        candidate.insert(
            end, "ip route 198.51.100.0/24 Null0\n!\ninterface lo\n description managed by switchyard\nexit\n!\n");
        frr.load_candidate(candidate);
        CHECK(frr.candidate_diff().find("198.51.100.0/24") != std::string::npos);
        frr.commit();
        auto after = Lab::running_config(router);
        CHECK(after.find("ip route 198.51.100.0/24 Null0") != std::string::npos);
        CHECK(after.find("description managed by switchyard") != std::string::npos);

        // Back to the original with a commit-confirm that is rolled back: the
        // route must be there after the commit and gone after the rollback.
        frr.load_candidate(running);
        auto pending = frr.commit_confirmed(std::chrono::seconds(60));
        CHECK(Lab::running_config(router).find("198.51.100.0/24") == std::string::npos);
        frr.rollback(pending);
        CHECK(Lab::running_config(router).find("ip route 198.51.100.0/24 Null0") != std::string::npos);

        // Finally back to where it started, for real.
        frr.load_candidate(running);
        frr.commit();
        auto final_config = Lab::running_config(router);
        CHECK(final_config.find("198.51.100.0/24") == std::string::npos);
        CHECK(final_config.find("managed by switchyard") == std::string::npos);
        CHECK(frr.running_config() == running);
    }
}

// A change over 4 KB typed ahead: real vtysh hands its terminal back to the
// kernel while a line runs, and the kernel echoes the rest of the chunk bare,
// in fragments in front of prompts and error texts (docs/device-cli.md,
// "Common"). The reader once waited for a prompt at the start of a line and
// timed out after a minute; an error text behind a fragment went unseen.
TEST_CASE("the frr driver types a change of over 4 KB and finds a line rejected inside it", "[lab][frr]") {
    Lab lab;
    MemoryHostKeyStore keys;
    const json& router = lab.inventory[0];
    auto conn = connect(router, keys);
    Driver& frr = conn->driver();
    const std::string running = frr.running_config();
    auto with = [&](const std::string& lines) {
        std::string c = running;
        auto end = c.rfind("end");
        REQUIRE(end != std::string::npos);
        return c.insert(end, lines);
    };
    // 160 routes, about 5 KB in one chunk.
    std::string routes;
    for (int i = 0; i < 160; ++i)
        routes += "ip route 10.77." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) + "/32 Null0\n";
    frr.load_candidate(with(routes));
    frr.commit();
    auto after = Lab::running_config(router);
    CHECK(after.find("ip route 10.77.0.1/32 Null0") != std::string::npos);
    CHECK(after.find("ip route 10.77.0.160/32 Null0") != std::string::npos);
    frr.load_candidate(running);
    frr.commit();
    CHECK(Lab::running_config(router).find("10.77.") == std::string::npos);

    // A rejected line fourth in the chunk, where the kernel's echo of the
    // chunk's tail comes: named, and the router put back.
    std::string bad = routes;
    std::size_t third = 0;
    for (int k = 0; k < 3; ++k) third = bad.find('\n', third) + 1;
    bad.insert(third, "ip route bogus-prefix Null0\n");
    frr.load_candidate(with(bad));
    try {
        frr.commit();
        FAIL("a change with a line vtysh rejects was committed");
    } catch (const CommandError& e) {
        std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find("rejected 'ip route bogus-prefix Null0'") != std::string::npos);
        CHECK(msg.find("% Unknown command") != std::string::npos);
        CHECK(msg.find("restored") != std::string::npos);
    }
    CHECK(Lab::running_config(router).find("10.77.") == std::string::npos);
    CHECK(frr.running_config() == running);
}
