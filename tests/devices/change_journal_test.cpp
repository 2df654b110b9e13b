// ChangeJournal (devices/change_journal.h) against a real PostgreSQL: who may
// move a change. A job whose changes a recovery adopted (its worker declared
// dead, then back) must not close them under the recovery.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include "devices/change_journal.h"
#include "support/pg_harness.h"

using namespace switchyard::devices;

namespace {

const std::string& url() {
    static const std::string u = switchyard::testing::fresh_database_url();
    return u;
}

ChangeJournal journal_of(std::int64_t job_id, int attempt) {
    return ChangeJournal(std::make_unique<pqxx::connection>(url()), job_id, attempt);
}

std::string phase_of(std::int64_t id) {
    pqxx::connection conn(url());
    pqxx::read_transaction tx(conn);
    return tx
        .exec_params1(
            "SELECT phase || CASE WHEN closed_at IS NULL THEN ' open' ELSE ' closed' END "
            "FROM device_change_journal WHERE id = $1",
            id)[0]
        .as<std::string>();
}

}  // namespace

TEST_CASE("a change moves only under the attempt that answers for it", "[change_journal]") {
    auto sync = journal_of(101, 1);
    auto id = sync.open("r1", "hostname r1\n", "hostname r1\nntp server 10.0.0.1\n");
    CHECK(phase_of(id) == "pushing open");
    CHECK(sync.advance(id, ChangePhase::committed));
    CHECK(phase_of(id) == "committed open");

    // Another attempt of the same job does not answer for it.
    CHECK_FALSE(journal_of(101, 2).advance(id, ChangePhase::verified));
    CHECK(phase_of(id) == "committed open");

    // A recovery adopts it: from then on the sync cannot close it...
    auto recovery = journal_of(202, 1);
    auto adopted = recovery.adopt(101);
    REQUIRE(adopted.size() == 1);
    CHECK(adopted[0].id == id);
    CHECK(adopted[0].sync_job_id == 101);
    CHECK(recovery.configs(id).config_before == "hostname r1\n");
    CHECK_THROWS_WITH(recovery.configs(id + 1000), Catch::Contains("no change"));
    CHECK(adopted[0].phase == ChangePhase::committed);
    CHECK_FALSE(sync.advance(id, ChangePhase::failed));
    CHECK(phase_of(id) == "committed open");
    {
        pqxx::connection conn(url());
        pqxx::read_transaction tx(conn);
        CHECK(ChangeJournal::open_for_job(tx, 101).empty());
        CHECK(ChangeJournal::open_for_job(tx, 202).size() == 1);
    }

    // ...and the recovery can; a closed change stays closed.
    CHECK(recovery.advance(id, ChangePhase::restored));
    CHECK(phase_of(id) == "restored closed");
    CHECK_FALSE(recovery.advance(id, ChangePhase::pushing));
    CHECK(phase_of(id) == "restored closed");
}
