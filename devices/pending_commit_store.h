// Commits waiting for confirmation in another job (confirm_mode 2), kept in
// PostgreSQL (service/sql/migrations/0086_baseline.sql) so the
// confirm_devices job finds them in whichever process runs it.
// Not thread-safe, like the pqxx::connection it borrows.
#pragma once

#include <pqxx/connection>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devices/pending_commit.h"

namespace switchyard::devices {

struct StoredPendingCommit {
    PendingCommit pending;
    std::string intended_confhash;        // the device's confhash once confirmed
    std::chrono::milliseconds time_left;  // negative once the timer ran out
};

class PendingCommitStore {
public:
    explicit PendingCommitStore(pqxx::connection& conn) : conn_(conn) {}

    struct Saved {
        std::string hostname;
        PendingCommit pending;
        std::string intended_confhash;
    };
    // Every commit job_id left pending, in one transaction.
    void save(const std::vector<Saved>& commits, std::int64_t job_id);
    std::optional<StoredPendingCommit> get(const std::string& hostname, std::int64_t job_id);
    // Confirmed or rolled back: nothing pending any more (one transaction).
    void remove(const std::vector<std::string>& hostnames, std::int64_t job_id);

private:
    pqxx::connection& conn_;
};

}  // namespace switchyard::devices
