// A real PostgreSQL for tests: one private cluster per test binary (initdb in
// a temporary directory, unix socket only, stopped and removed at exit), and
// a fresh, migrated database per test.
#pragma once

#include <string>

namespace switchyard::store {
class EmbeddedPostgres;
}

namespace switchyard::testing {

// A new database with every migration applied; returns its libpq URL.
std::string fresh_database_url();

// The test cluster itself (restart it to test reconnection).
store::EmbeddedPostgres& test_cluster();

}  // namespace switchyard::testing
