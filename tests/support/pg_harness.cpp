#include "pg_harness.h"

#include "store/database.h"
#include "store/embedded_postgres.h"
#include "store/migrator.h"

#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

namespace switchyard::testing {
namespace {

constexpr const char* kTemplate = "sy_template";

struct Cluster {
    std::string dir;
    std::unique_ptr<store::EmbeddedPostgres> pg;

    Cluster() {
        char pattern[] = "/tmp/sy-test-XXXXXX";
        if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
        dir = pattern;
        chmod(dir.c_str(), 0711);  // the cluster's system user must reach dir/pg
        store::EmbeddedPostgresOptions options;
        options.data_dir = dir;
        options.run_as = "postgres";
        options.unsafe_fast = true;  // tests need speed, not crash safety
        try {
            pg = std::make_unique<store::EmbeddedPostgres>(options);
            pg->start();
        } catch (const std::exception& e) {
            std::cerr << "\nTEST SETUP FAILED: cannot start a PostgreSQL for the tests: " << e.what()
                      << "\nInstall the server with `apt-get install postgresql` (make deps does).\n";
            throw;
        }
        auto conn = store::connect(admin_url("postgres"), std::chrono::seconds(5));
        pqxx::nontransaction tx(*conn);
        tx.exec(std::string("CREATE DATABASE ") + kTemplate);
        auto tconn = store::connect(admin_url(kTemplate), std::chrono::seconds(5));
        store::migrate(*tconn);
    }
    ~Cluster() {
        try {
            pg->stop();
        } catch (...) {
        }
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string admin_url(const std::string& db) const {
        return "postgresql:///" + db + "?host=" + pg->cluster_dir() + "&user=switchyard";
    }
};

Cluster& cluster() {
    static Cluster c;
    return c;
}

}  // namespace

std::string fresh_database_url() {
    static std::mutex mutex;
    static std::atomic<int> counter{0};
    std::lock_guard lock(mutex);
    Cluster& c = cluster();
    std::string name = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    auto conn = store::connect(c.admin_url("postgres"), std::chrono::seconds(5));
    pqxx::nontransaction tx(*conn);
    tx.exec("CREATE DATABASE " + name + " TEMPLATE " + kTemplate);
    return c.admin_url(name);
}

store::EmbeddedPostgres& test_cluster() { return *cluster().pg; }

}  // namespace switchyard::testing
