// Helpers of the process tests: a fresh database to share between real
// `switchyard serve` processes, and starting one until it serves.
#pragma once

#include "child_process.h"
#include "engine/job_store.h"
#include "fault_tasks.h"
#include "store/database.h"
#include "support/pg_harness.h"
#include "support/wait_for.h"

#include <sys/stat.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace switchyard::testing {

inline std::string temp_dir() {
    char pattern[] = "/tmp/sy-proc-XXXXXX";
    REQUIRE(mkdtemp(pattern));
    chmod(pattern, 0711);
    return pattern;
}

struct Db {
    std::string url = fresh_database_url();
    std::unique_ptr<pqxx::connection> conn = store::connect(url, std::chrono::seconds(5));

    long count(const std::string& sql) {
        for (int attempt = 0;; ++attempt) {
            try {
                pqxx::read_transaction tx(*conn);
                return tx.exec(sql)[0][0].as<long>();
            } catch (const std::exception& e) {
                // The connection may have been cut by a server restart.
                if (attempt > 50 || !store::is_connection_error(e)) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                conn = store::connect(url, std::chrono::seconds(5));
            }
        }
    }
    std::string status(std::int64_t id) {
        pqxx::read_transaction tx(*conn);
        return tx.exec_params("SELECT status FROM jobs WHERE id = $1", id)[0][0].as<std::string>();
    }
    nlohmann::json job(std::int64_t id) {
        pqxx::read_transaction tx(*conn);
        auto j = engine::get_job(tx, id);
        REQUIRE(j);
        return *j;
    }
    // Builtin job kinds and those of switchyard-faulty.
    std::int64_t enqueue(const std::string& kind, nlohmann::json args) {
        tasks::TaskRegistry registry;
        tasks::register_builtin_tasks(registry);
        register_fault_tasks(registry);
        engine::EnqueueRequest r;
        r.function_name = kind;
        r.args = std::move(args);
        pqxx::work tx(*conn);
        auto id = engine::enqueue(tx, registry, Settings{}, r).id;
        tx.commit();
        return id;
    }
};

// Starts `argv` (a serve command), its output in `log`; returns once it
// says it serves.
inline std::unique_ptr<ChildProcess> start_serving(const std::vector<std::string>& argv, const std::string& log) {
    using namespace std::chrono_literals;
    auto p = std::make_unique<ChildProcess>(argv, log);
    REQUIRE(wait_for([&] { return p->log().find("switchyard serving") != std::string::npos || !p->running(); }, 60s));
    INFO(p->log());
    REQUIRE(p->running());
    return p;
}

// `binary serve` on the database at `url`, its output in `log` and its data
// directory beside it.
inline std::vector<std::string> serve_argv(const std::string& binary, const std::string& url, const std::string& log,
                                           const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {binary,     "serve",       "--database-url", url,
                                     "--listen", "127.0.0.1:0", "--data-dir",     log + ".data"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

// serve_argv started; returns once it says it serves.
inline std::unique_ptr<ChildProcess> serve_with(const std::string& binary, const std::string& url,
                                                const std::string& log, std::vector<std::string> extra = {}) {
    return start_serving(serve_argv(binary, url, log, extra), log);
}

// serve_argv for a serve that a job will kill: started, not waited for (its
// job may kill it before it says it serves).
inline std::unique_ptr<ChildProcess> serve_to_be_killed(const std::string& binary, const std::string& url,
                                                        const std::string& log) {
    return std::make_unique<ChildProcess>(serve_argv(binary, url, log), log);
}

// SIGTERM, then how the process ended (ChildProcess::wait's code) and how
// long that took.
struct Ended {
    int code;
    std::chrono::steady_clock::duration took;
};
inline Ended terminate(ChildProcess& p, std::chrono::seconds limit = std::chrono::seconds(60)) {
    auto signalled = std::chrono::steady_clock::now();
    p.signal(SIGTERM);
    int code = p.wait(limit);
    return {code, std::chrono::steady_clock::now() - signalled};
}

inline std::unique_ptr<ChildProcess> serve(const std::string& url, const std::string& log,
                                           std::vector<std::string> extra = {}) {
    return serve_with(SWITCHYARD_BIN, url, log, std::move(extra));
}

}  // namespace switchyard::testing
