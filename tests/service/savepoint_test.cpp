// store::Savepoint: a statement that fails inside it, sent the way sqlgen's
// statements are (exec_params, exec_prepared), fails that part alone; the
// enclosing transaction goes on and commits what it did before and after.
// (A bare pqxx::subtransaction of libpqxx 6.4 fails this: see savepoint.h.)
#include "store/savepoint.h"
#include "store/database.h"
#include "support/pg_harness.h"

#include <catch2/catch.hpp>

using namespace switchyard;

TEST_CASE("a statement failing in a Savepoint fails that part alone", "[store][savepoint]") {
    auto conn = store::connect(testing::fresh_database_url(), std::chrono::seconds(5));
    conn->prepare("divide", "SELECT 1 / ($1::int - 1)");
    pqxx::work tx(*conn);
    tx.exec("CREATE TEMP TABLE parts (n int)");
    tx.exec_params("INSERT INTO parts VALUES ($1)", 1);
    bool kept = false;
    SECTION("exec_params") {
        store::Savepoint part(tx, "p");
        CHECK_THROWS_AS(part.tx().exec_params("SELECT 1 / ($1::int - 1)", 1), pqxx::data_exception);
    }
    SECTION("exec_prepared") {
        store::Savepoint part(tx, "p");
        CHECK_THROWS_AS(part.tx().exec_prepared("divide", 1), pqxx::data_exception);
    }
    SECTION("a part that succeeds and commits is kept") {
        store::Savepoint part(tx, "p");
        part.tx().exec_params("INSERT INTO parts VALUES ($1)", 2);
        part.tx().commit();
        kept = true;
    }
    tx.exec_params("INSERT INTO parts VALUES ($1)", 3);
    CHECK(tx.exec1("SELECT string_agg(n::text, ',' ORDER BY n) FROM parts")[0].as<std::string>() ==
          (kept ? "1,2,3" : "1,3"));
    tx.commit();
}
