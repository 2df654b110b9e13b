// Schema migrations: service/sql/migrations/NNNN_name.sql, applied in order,
// each in its own transaction, recorded in schema_migrations. Several
// processes starting at once are serialised by an advisory lock.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace switchyard::store {

struct MigrationReport {
    std::vector<std::string> applied;  // file names applied by this call
    int version = 0;                   // the newest version now in the database
};

MigrationReport migrate(pqxx::connection& conn);

}  // namespace switchyard::store
