// Issue 10: a device that fails mid-change inside a sync that otherwise ends
// well is not left half configured. The sync reads it again and puts its
// previous config back, verified (its journal entry closes restored, not
// failed); one it cannot put back keeps its entry open, and the job ends
// EXCEPTION so that the engine hands it to a recovery job.
#include "devices/config_compare.h"
#include "sync_fixture.h"

using namespace switchyard;
using namespace switchyard::testing;
using nlohmann::json;

namespace {

struct FailedChangeFixture : SyncFixture {
    std::string phase_of(const std::string& host) {
        pqxx::read_transaction tx(*conn);
        auto r = tx.exec_params(
            "SELECT string_agg(phase::text, ',' ORDER BY id) FROM device_change_journal "
            "WHERE hostname = $1",
            host);
        return r[0][0].is_null() ? "" : r[0][0].as<std::string>();
    }
};

}  // namespace

TEST_CASE_METHOD(FailedChangeFixture,
                 "a device failing mid-change is read again and verified on its previous config; the job finishes",
                 "[sync][failed_change]") {
    // sim0001 (frr) refuses a line of its change (frr's driver types the old
    // lines back itself); sim0002 (eos) loses its connection at the commit,
    // which it then never applied.
    refuse_a_line("sim0001");
    faults("sim0002", json::array({"drop_mid_commit"}));
    const auto frr_before = sim_config("sim0001");
    const auto eos_before = sim_config("sim0002");

    auto sync = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}}));
    INFO(sync.dump(2));
    CHECK(sync["status"] == "FINISHED");
    for (auto host : {"sim0001", "sim0002"}) {
        INFO(host);
        CHECK(sync["result"]["devices"][host]["failed"] == true);
        CHECK(contains(task_result(sync, host, 0), "it still runs its previous config (verified)"));
        CHECK(phase_of(host) == "restored");
    }
    CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0001"), frr_before));
    CHECK(devices::config_matches(devices::Platform::eos, sim_config("sim0002"), eos_before));
    CHECK(sync["result"]["devices"]["sim0003"]["failed"] == false);
    CHECK(count("SELECT count(*) FROM device_change_journal WHERE phase IN ('failed', 'pushing', 'committed')") == 0);
    CHECK(count("SELECT count(*) FROM jobs WHERE function_name = 'recover_devices'") == 0);
}

TEST_CASE_METHOD(FailedChangeFixture,
                 "a device that cannot be put back keeps its journal entry open: the job ends EXCEPTION and a "
                 "recovery job takes it over",
                 "[sync][failed_change]") {
    // frr with drop_mid_commit: every line of the change is typed, then the
    // connection is cut at `write memory`, both at the change and at the
    // job's push back (which leaves the old lines typed back, unsaved).
    faults("sim0004", json::array({"drop_mid_commit"}));
    const auto before = sim_config("sim0004");

    auto sync = ended(schedule({{"all", true}, {"dry_run", false}, {"confirm_mode", 0}}));
    INFO(sync.dump(2));
    REQUIRE(sync["status"] == "EXCEPTION");
    CHECK(contains(sync["exception"]["message"], "devices left mid-change, not restored: sim0004"));
    CHECK(contains(task_result(sync, "sim0004", 0), "putting its previous config back failed"));
    CHECK(sync["result"]["devices"]["sim0001"]["failed"] == false);
    REQUIRE(sync["result"].contains("recovery_job_id"));

    // The recovery reads it: it runs its old config again (unsaved), so it
    // is verified whole without a push.
    auto recovery = ended(sync["result"]["recovery_job_id"].get<std::int64_t>());
    INFO(recovery.dump(2));
    CHECK(recovery["function_name"] == "recover_devices");
    CHECK(recovery["status"] == "FINISHED");
    CHECK(recovery["result"]["devices"]["sim0004"]["outcome"] == "restored");
    CHECK(devices::config_matches(devices::Platform::frr, sim_config("sim0004"), before));
    CHECK(phase_of("sim0004") == "restored");
    CHECK(count("SELECT count(*) FROM job_locks") == 0);
}
