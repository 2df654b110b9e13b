#include "migrator.h"

#include "store/queries.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace switchyard::store {
namespace {

int version_of(std::string_view file) {
    // "migrations/0086_baseline.sql" -> 86
    auto slash = file.rfind('/');
    auto name = file.substr(slash == std::string_view::npos ? 0 : slash + 1);
    int v = 0;
    std::size_t i = 0;
    for (; i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])); ++i) v = v * 10 + (name[i] - '0');
    if (i == 0 || i >= name.size() || name[i] != '_')
        throw std::logic_error("migration file " + std::string(file) + " must be named NNNN_name.sql");
    return v;
}

// The first migration is the baseline: the migrations of Switchyard's
// development, folded into the schema they added up to. A database that had
// them all has the baseline's version recorded and goes on from there; one
// that stopped part way has an older version and none of the baseline's
// objects can be made over it, so it is refused with what to do rather than
// left to fail on "relation already exists".
void refuse_development_schema(pqxx::connection& conn) {
    const auto& scripts = sql::migrations();
    if (scripts.empty()) return;
    std::string_view baseline = scripts.front().name;
    int baseline_version = version_of(baseline);
    pqxx::read_transaction tx(conn);
    auto newest = sql::migrator::newest(tx);
    if (!newest || newest->version >= baseline_version) return;
    throw std::runtime_error(
        "the database's schema is at version " + std::to_string(newest->version) +
        ", from a development build of Switchyard before its migrations were folded into " + std::string(baseline) +
        "; this build cannot bring it forward. Run `switchyard db migrate` with a build of commit b2353b5 (which "
        "has the migrations up to " +
        std::to_string(baseline_version) + ") first, or start with a new database");
}

}  // namespace

MigrationReport migrate(pqxx::connection& conn) {
    MigrationReport report;
    {
        pqxx::nontransaction tx(conn);
        sql::migrator::lock(tx);
    }
    try {
        {
            pqxx::work tx(conn);
            sql::migrator::create_table(tx);
            tx.commit();
        }
        refuse_development_schema(conn);
        int seen = 0;
        for (auto& [file, text] : sql::migrations()) {
            int version = version_of(file);
            if (version == seen) throw std::logic_error("two migrations share version " + std::to_string(version));
            seen = version;
            pqxx::work tx(conn);
            if (sql::migrator::applied(tx, {.version = version})) {
                report.version = version;
                continue;
            }
            try {
                tx.exec(std::string(text));
            } catch (const pqxx::sql_error& e) {
                throw std::runtime_error("migration " + std::string(file) + " failed: " + e.what());
            }
            sql::migrator::record(tx, {.version = version, .name = file});
            tx.commit();
            spdlog::info("applied migration {}", file);
            report.applied.emplace_back(file);
            report.version = version;
        }
    } catch (...) {
        try {
            pqxx::nontransaction tx(conn);
            sql::migrator::unlock(tx);
        } catch (...) {
        }
        throw;
    }
    pqxx::nontransaction tx(conn);
    sql::migrator::unlock(tx);
    return report;
}

}  // namespace switchyard::store
