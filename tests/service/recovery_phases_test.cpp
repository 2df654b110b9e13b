// Crash safety per platform and per phase (issue 10): what a job can leave a
// device as when it dies, on each of frr, eos and junos, and what its
// recovery job makes of it.
//  - mid-commit, not applied: the journal says pushing, the device still runs
//    its config before (a commit whose connection was cut before it applied);
//  - between commit and verify: the journal says committed, the device runs
//    the intended config (the process died before it read the device again).
// A test task opens those journal entries, puts the simulated devices in
// those states and dies (an exception): the engine's recovery job must make
// each device whole, back (sync.on_interrupted rollback) or forward
// (complete), and say per device what it did.
#include "devices/change_journal.h"
#include "devices/config_compare.h"
#include "store/database.h"
#include "sync_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, devices::Platform> kPlatforms = {
    {"sim0001", devices::Platform::frr}, {"sim0002", devices::Platform::eos}, {"sim0003", devices::Platform::junos},
    {"sim0004", devices::Platform::frr}, {"sim0005", devices::Platform::eos}, {"sim0006", devices::Platform::junos}};
// sim0001-3: mid-commit, not applied; sim0004-6: committed, not yet verified.
const std::map<std::string, devices::ChangePhase> kLeftIn = {
    {"sim0001", devices::ChangePhase::pushing},   {"sim0002", devices::ChangePhase::pushing},
    {"sim0003", devices::ChangePhase::pushing},   {"sim0004", devices::ChangePhase::committed},
    {"sim0005", devices::ChangePhase::committed}, {"sim0006", devices::ChangePhase::committed}};

// The device's config with its hostname changed: a one-line change each
// platform shows in its own syntax.
std::string renamed(const std::string& config, const std::string& host) {
    std::string out = config;
    for (std::string line : {"hostname " + host + "\n", "host-name " + host + ";"}) {
        auto at = out.find(line);
        if (at == std::string::npos) continue;
        out.insert(at + line.find(host) + host.size(), "-new");
        return out;
    }
    FAIL("no hostname line in the config of " << host << ":\n" << config);
    return out;
}

struct PhasesFixture : SyncFixture {
    std::map<std::string, std::string> before, intended;
    // What the recovery asked the devices of each platform (the simulator's
    // counters, tests/sim/traffic.h, over recovery_of_a_death).
    json asked;

    // Registers "dies_mid_change": it journals each device's change in its
    // phase, leaves the device as that phase says, and throws.
    PhasesFixture() {
        for (auto& [host, platform] : kPlatforms) {
            before[host] = sim_config(host);
            intended[host] = renamed(before[host], host);
        }
        engine->stop();
        engine.reset();
        registry.add(
            {.function_name = "dies_mid_change", .run = [this](tasks::JobContext& ctx) {
                 devices::ChangeJournal journal(store::connect(url, std::chrono::seconds(5)), ctx.job().id,
                                                ctx.job().attempt);
                 for (auto& [host, phase] : kLeftIn) {
                     auto id = journal.open(host, before[host], intended[host]);
                     if (phase == devices::ChangePhase::pushing) continue;
                     // Not sim_ctl: its REQUIRE must not run on the job's thread.
                     json set = {{"op", "set"}, {"host", host}, {"config", intended[host]}};
                     auto [code, out] = run_command({SWITCHYARD_SIM, "--state-dir", dir + "/sim", "--ctl", set.dump()});
                     if (code != 0) throw std::runtime_error("switchyard-sim --ctl set failed: " + out);
                     journal.advance(id, phase);
                 }
                 throw std::runtime_error("died mid-change (test)");
             }});
        start();
    }

    // The recovery job of a dies_mid_change job, once it has ended.
    json recovery_of_a_death() {
        const json traffic_before = sim_traffic();
        auto died = ended(enqueue("dies_mid_change"));
        INFO(died.dump(2));
        REQUIRE(died["status"] == "EXCEPTION");
        REQUIRE(died["result"].contains("recovery_job_id"));
        auto recovery = ended(died["result"]["recovery_job_id"].get<std::int64_t>());
        INFO(recovery.dump(2));
        REQUIRE(recovery["status"] == "FINISHED");
        REQUIRE(recovery["result"]["devices"].size() == kPlatforms.size());
        CHECK(count("SELECT count(*) FROM device_change_journal WHERE closed_at IS NULL") == 0);
        CHECK(count("SELECT count(*) FROM job_locks") == 0);
        // What each device runs now is in its config history, recorded by
        // the recovery as its devices finished (tasks/recover_devices.cpp),
        // with the confhash the device was marked with.
        const auto rid = std::to_string(recovery["id"].get<std::int64_t>());
        const long devices = static_cast<long>(kPlatforms.size());
        CHECK(count("SELECT count(*) FROM device_config_history WHERE job_id = " + rid) == devices);
        CHECK(count("SELECT count(*) FROM device_config_history h JOIN devices d ON d.hostname = h.hostname "
                    "AND d.confhash = h.confhash WHERE h.job_id = " +
                    rid) == devices);
        // The job that died asked the devices nothing (it set them through
        // the control socket): all of it is the recovery's.
        asked = json::object();
        const json traffic_after = sim_traffic();
        for (auto& [platform, counters] : traffic_after.items())
            for (auto& [name, value] : counters.items())
                asked[platform][name] = value.get<long>() - traffic_before[platform][name].get<long>();
        return recovery;
    }

    // Each platform has two devices in the recovery, one it finds whole and
    // one it pushes (which is which depends on the target). Each gets one
    // SSH session. The one found whole is read once and no shell is opened on
    // it. The one pushed is read once to know where it stands and once to
    // verify: its push starts from that first read, it is not read again
    // for it (the journal holds the config to go back to). Reads go on exec
    // channels, so the pushed device's shell is the only one.
    void check_asked_per_platform() {
        for (auto platform : {"frr", "eos", "junos"}) {
            INFO(platform << ": " << asked[platform].dump());
            CHECK(asked[platform]["sessions"] == 2);
            CHECK(asked[platform]["config_reads"] == 1 + 2);
            CHECK(asked[platform]["exec_channels"] == 1 + 2);
            CHECK(asked[platform]["shell_channels"] == 1);
        }
    }
};

}  // namespace

TEST_CASE_METHOD(PhasesFixture, "recovery per platform: mid-commit and between commit and verify, rolled back",
                 "[recovery][phases]") {
    auto recovery = recovery_of_a_death();
    INFO(recovery.dump(2));
    for (auto& [host, platform] : kPlatforms) {
        INFO(host);
        auto& d = recovery["result"]["devices"][host];
        CHECK(d["outcome"] == "restored");
        CHECK(d["phase_left"] == std::string(devices::to_string(kLeftIn.at(host))));
        CHECK(devices::config_matches(platform, sim_config(host), before[host]));
        // Not applied: found whole; committed: pushed back.
        std::string said = d["job_tasks"][0]["result"];
        CHECK(contains(said, kLeftIn.at(host) == devices::ChangePhase::pushing ? "it already ran its config before"
                                                                               : "the config it ran before"));
        CHECK(sim_device(host)["pending_rollback"] == false);
    }
    check_asked_per_platform();
}

TEST_CASE_METHOD(PhasesFixture, "recovery per platform: mid-commit and between commit and verify, completed",
                 "[recovery][phases]") {
    engine->stop();
    engine.reset();
    settings.sync.on_interrupted = devices::RecoveryTarget::complete;
    start();
    auto recovery = recovery_of_a_death();
    INFO(recovery.dump(2));
    for (auto& [host, platform] : kPlatforms) {
        INFO(host);
        auto& d = recovery["result"]["devices"][host];
        CHECK(d["outcome"] == "completed");
        CHECK(devices::config_matches(platform, sim_config(host), intended[host]));
        std::string said = d["job_tasks"][0]["result"];
        CHECK(contains(said, kLeftIn.at(host) == devices::ChangePhase::pushing ? "it now runs the config"
                                                                               : "it already ran the config"));
    }
    check_asked_per_platform();
}
