// ParkedConfigStore (devices/parked_configs.h) against a real PostgreSQL: a
// live sync's configs between its read and its push come back byte for byte,
// once, and go with their job.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include "devices/parked_configs.h"
#include "support/pg_harness.h"

using namespace switchyard::devices;

namespace {

const std::string& url() {
    static const std::string u = switchyard::testing::fresh_database_url();
    return u;
}

std::int64_t new_job(pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto id = tx.exec1("INSERT INTO jobs (function_name, timeout_seconds) VALUES ('sync_devices', 60) RETURNING id")[0]
                  .as<std::int64_t>();
    tx.commit();
    return id;
}

long parked_rows(pqxx::connection& conn, std::int64_t job_id) {
    pqxx::read_transaction tx(conn);
    return tx.exec_params1("SELECT count(*) FROM sync_parked_configs WHERE job_id = $1", job_id)[0].as<long>();
}

}  // namespace

TEST_CASE("parked configs come back byte for byte, once", "[parked_configs]") {
    pqxx::connection conn(url());
    ParkedConfigStore store(conn);
    auto job = new_job(conn);
    // What a device may send: a NUL, bytes that are not UTF-8, a lone
    // continuation byte, CR LF; a text column would clean every one.
    const char raw[] = "hostname r1\r\nbanner \0x\xff\xfe end\n\x80 description \xc3\n";
    const std::string read(raw, sizeof raw - 1);
    const std::string intended = "hostname r1\nntp server 192.0.2.1\n" + std::string(200000, 'x') + "\n";
    store.park(job, {{"r1", read, intended}, {"r2", "", "hostname r2\n"}});
    CHECK(parked_rows(conn, job) == 2);

    auto back = store.take(job, "r1");
    REQUIRE(back);
    CHECK(back->hostname == "r1");
    CHECK(back->read == read);
    CHECK(back->read.size() == read.size());
    CHECK(back->intended == intended);
    // Taken: gone, for this job only.
    CHECK_FALSE(store.take(job, "r1"));
    CHECK_FALSE(store.take(job + 1000, "r2"));
    auto empty_read = store.take(job, "r2");
    REQUIRE(empty_read);
    CHECK(empty_read->read.empty());
    CHECK(empty_read->intended == "hostname r2\n");
    CHECK(parked_rows(conn, job) == 0);
}

TEST_CASE("a second attempt's park replaces the first's; drop and the job's deletion clear them", "[parked_configs]") {
    pqxx::connection conn(url());
    ParkedConfigStore store(conn);
    auto job = new_job(conn);
    store.park(job, {{"r1", "old read\n", "old intended\n"}});
    store.park(job, {{"r1", "new read\n", "new intended\n"}, {"r2", "read\n", "intended\n"}});
    CHECK(parked_rows(conn, job) == 2);
    auto back = store.take(job, "r1");
    REQUIRE(back);
    CHECK(back->read == "new read\n");
    CHECK(back->intended == "new intended\n");

    store.drop(job);
    CHECK(parked_rows(conn, job) == 0);

    store.park(job, {{"r3", "read\n", "intended\n"}});
    {
        pqxx::work tx(conn);
        tx.exec_params0("DELETE FROM jobs WHERE id = $1", job);
        tx.commit();
    }
    CHECK(parked_rows(conn, job) == 0);
}
