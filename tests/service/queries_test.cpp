// Every typed statement (sqlgen) against the migrated schema: PostgreSQL
// prepares it, and its parameters and result columns have the names and types
// its .sql file declares. A declaration that drifted from the schema fails
// here, not in production.
#include "devices/queries.h"
#include "locks/queries.h"
#include "store/queries.h"
#include "support/pg_harness.h"

#include <libpq-fe.h>
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>

using namespace switchyard;

namespace {

// Type OIDs of the types sqlgen knows (pg_type.oid, fixed since PostgreSQL 9.4).
const std::map<std::string, Oid> kTypeOids = {
    {"bigint", 20},     {"integer", 23}, {"smallint", 21},    {"text", 25},    {"bytea", 17},
    {"boolean", 16},    {"float8", 701}, {"json", 114},       {"jsonb", 3802}, {"text[]", 1009},
    {"bigint[]", 1016}, {"inet", 869},   {"text_shared", 25},
};

// Whether a value of type `oid` is what `declared` reads (text_shared is a text).
bool reads_as(Oid oid, const std::string& declared) {
    auto it = kTypeOids.find(declared);
    return it != kTypeOids.end() && it->second == oid;
}

std::string type_name(Oid oid) {
    for (auto& [name, o] : kTypeOids)
        if (o == oid) return name;
    return "oid " + std::to_string(oid);
}

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// What is wrong with `s` in the database behind `conn`; empty when nothing.
std::vector<std::string> problems(PGconn* conn, const sqlgen::StatementInfo& s, int number) {
    std::string kind = s.kind;
    if (kind == "script") return {};  // several statements: nothing to describe
    std::vector<std::string> out;
    std::string name = "check_" + std::to_string(number);
    Result prepared(PQprepare(conn, name.c_str(), s.text.c_str(), 0, nullptr), PQclear);
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK)
        return {std::string("PostgreSQL refuses it: ") + PQresultErrorMessage(prepared.get())};
    Result d(PQdescribePrepared(conn, name.c_str()), PQclear);
    if (PQnparams(d.get()) != static_cast<int>(s.params.size()))
        out.push_back(std::to_string(PQnparams(d.get())) + " parameters, " + std::to_string(s.params.size()) +
                      " declared");
    for (std::size_t i = 0; i < s.params.size() && i < static_cast<std::size_t>(PQnparams(d.get())); ++i) {
        const Oid actual = PQparamtype(d.get(), static_cast<int>(i));
        if (!reads_as(actual, s.params[i].sql_type))
            out.push_back("parameter " + std::string(s.params[i].name) + " is " + type_name(actual) + ", declared " +
                          s.params[i].sql_type);
    }
    if (kind == "exec") return out;  // what it returns (pg_advisory_lock's void, say) is not read
    if (PQnfields(d.get()) != static_cast<int>(s.columns.size()))
        out.push_back(std::to_string(PQnfields(d.get())) + " columns, " + std::to_string(s.columns.size()) +
                      " declared");
    for (auto& column : s.columns) {
        int at = PQfnumber(d.get(), ("\"" + std::string(column.name) + "\"").c_str());
        if (at < 0) {
            out.push_back("no column " + std::string(column.name));
            continue;
        }
        const Oid actual = PQftype(d.get(), at);
        if (!reads_as(actual, column.sql_type))
            out.push_back("column " + std::string(column.name) + " is " + type_name(actual) + ", declared " +
                          column.sql_type);
    }
    return out;
}

Connection connect_fresh() {
    Connection conn(PQconnectdb(testing::fresh_database_url().c_str()), PQfinish);
    REQUIRE(PQstatus(conn.get()) == CONNECTION_OK);
    return conn;
}

}  // namespace

TEST_CASE("every statement matches its declaration in the migrated schema", "[store][sql]") {
    auto conn = connect_fresh();
    int number = 0;
    std::size_t checked = 0;
    for (auto* statements : {&store::sql::statements(), &locks::sql::statements(), &devices::sql::statements()})
        for (auto& s : *statements) {
            auto found = problems(conn.get(), s, ++number);
            std::string all;
            for (auto& p : found) all += "\n  " + p;
            INFO(s.name << ":" << all << "\nSQL:\n" << s.text);
            CHECK(found.empty());
            ++checked;
        }
    CHECK(checked > 50);
}

TEST_CASE("a declaration that disagrees with the schema is caught", "[store][sql]") {
    auto conn = connect_fresh();
    const std::string text = "SELECT id, function_name FROM jobs WHERE id = $1";
    sqlgen::StatementInfo right{
        "right", "many", text, {{"id", "bigint", false}}, {{"id", "bigint", false}, {"function_name", "text", false}}};
    CHECK(problems(conn.get(), right, 1).empty());
    sqlgen::StatementInfo wrong_type{"wrong_type",
                                     "many",
                                     text,
                                     {{"id", "integer", false}},
                                     {{"id", "bigint", false}, {"function_name", "text", false}}};
    CHECK(problems(conn.get(), wrong_type, 2).size() == 1);
    sqlgen::StatementInfo wrong_column{
        "wrong_column", "many", text, {{"id", "bigint", false}}, {{"id", "bigint", false}, {"kind", "text", false}}};
    CHECK(problems(conn.get(), wrong_column, 3).size() == 1);
    sqlgen::StatementInfo missing_column{
        "missing_column", "many", text, {{"id", "bigint", false}}, {{"id", "bigint", false}}};
    CHECK(problems(conn.get(), missing_column, 4).size() == 1);
}
