// A throw-away PostgreSQL cluster for the store tests: initdb in a temp dir
// (as the `postgres` user when running as root, which PostgreSQL refuses),
// unix socket only, devices migration applied, removed afterwards.
#pragma once

#include <memory>
#include <string>

namespace switchyard::devices::testing {

class PgFixture {
public:
    PgFixture();  // throws when PostgreSQL cannot be started
    ~PgFixture();
    // libpq connection string for the cluster's `postgres` database.
    std::string url() const;

private:
    std::string dir_;
    std::string bin_;
    int port_ = 0;
};

}  // namespace switchyard::devices::testing
