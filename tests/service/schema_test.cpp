// service/sql/schema.sql is the schema every migration adds up to, in one
// file (migrations redefine triggers and functions; this shows the result).
// The test dumps a freshly migrated database and compares; after changing a
// migration, regenerate it with
//   SWITCHYARD_WRITE_SCHEMA=1 build-test/bin/test_store '[schema]'
#include "store/embedded_postgres.h"
#include "store/migrator.h"
#include "store/process_runner.h"
#include "store/queries.h"
#include "support/pg_harness.h"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace switchyard;

namespace {

const std::string kSchemaFile = std::string(SWITCHYARD_SOURCE_DIR) + "/service/sql/schema.sql";

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// pg_dump's own output, less what varies between machines and runs (its
// version lines, its random \\restrict key) and the session settings it
// prints first.
std::string normalise(const std::string& dump) {
    std::istringstream in(dump);
    std::string out =
        "-- The schema of Switchyard's database after every migration (service/sql/migrations),\n"
        "-- dumped by pg_dump --schema-only. Generated: see tests/service/schema_test.cpp.\n";
    std::string line;
    bool blank = false;
    while (std::getline(in, line)) {
        if (line.rfind("-- Dumped from", 0) == 0 || line.rfind("-- Dumped by", 0) == 0) continue;
        if (line.rfind("SET ", 0) == 0 || line.rfind("SELECT pg_catalog.set_config", 0) == 0) continue;
        // pg_dump's \restrict key is random per run (CVE-2025-8714).
        if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
        if (line.empty() || line == "--") {
            blank = true;
            continue;
        }
        if (blank && !out.empty()) out += "\n";
        blank = false;
        out += line + "\n";
    }
    return out;
}

std::string dump_schema() {
    std::string path = "/tmp/sy-schema-" + std::to_string(getpid()) + ".sql";
    std::string bin = store::find_postgres_bin_dir("");
    auto r = store::run_process({bin + "/pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--no-comments",
                                 "-f", path, "-d", testing::fresh_database_url()});
    INFO("pg_dump: " << r.output);
    REQUIRE(r.exit_code == 0);
    std::string text = read_text(path);
    std::remove(path.c_str());
    return normalise(text);
}

}  // namespace

TEST_CASE("service/sql/schema.sql is the migrated schema", "[store][schema]") {
    std::string dumped = dump_schema();
    REQUIRE(dumped.find("CREATE TABLE public.jobs") != std::string::npos);
    if (std::getenv("SWITCHYARD_WRITE_SCHEMA")) {
        std::ofstream(kSchemaFile) << dumped;
        WARN("wrote " << kSchemaFile);
    }
    std::string stored = read_text(kSchemaFile);
    INFO(
        "service/sql/schema.sql is not what the migrations produce; regenerate it with\n"
        "  SWITCHYARD_WRITE_SCHEMA=1 build-test/bin/test_store '[schema]'\nand review the difference.");
    CHECK(stored == dumped);
}

// The migrations of Switchyard's development are folded into the baseline
// (the first migration). A database that had them all is at the baseline's
// version and is left alone; one that stopped part way is refused, saying
// what to do, before any statement runs against it.
TEST_CASE("a database of a development build is adopted at the baseline, or refused before it", "[store][schema]") {
    pqxx::connection conn(testing::fresh_database_url());
    const std::string baseline = store::sql::migrations().front().name;
    {
        pqxx::work tx(conn);
        tx.exec("DELETE FROM schema_migrations");
        tx.exec(
            "INSERT INTO schema_migrations (version, name) "
            "SELECT v, 'migrations/' || lpad(v::text, 4, '0') || '_development.sql' FROM generate_series(1, 86) v");
        tx.commit();
    }
    auto adopted = store::migrate(conn);
    CHECK(adopted.applied.empty());
    CHECK(adopted.version == 86);

    {
        pqxx::work tx(conn);
        tx.exec("DELETE FROM schema_migrations WHERE version > 60");
        tx.commit();
    }
    std::string refusal;
    try {
        store::migrate(conn);
    } catch (const std::runtime_error& e) {
        refusal = e.what();
    }
    CHECK_THAT(refusal, Catch::Matchers::Contains("at version 60") && Catch::Matchers::Contains(baseline) &&
                            Catch::Matchers::Contains("new database"));
    pqxx::work tx(conn);
    CHECK(tx.exec1("SELECT max(version) FROM schema_migrations")[0].as<int>() == 60);
}
