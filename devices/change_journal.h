// The change journal (README.md, "Crash safety"; issue 10 item 1): before a
// live sync touches a device it records, in PostgreSQL, the config the device
// ran and the one it is about to get; the record follows each phase of the
// change and closes when the device is verified or restored. What a job that
// ended abnormally left open is what its recovery job repairs
// (service/sql/migrations/0043_device_change_journal.sql).
//
// Beside devices::PendingCommitStore, not instead of it: that store keeps
// what a confirm needs (session, timer, deadline); this one keeps what a
// crash needs. Thread-safe: a job's fan-out threads share one journal and its
// one connection (each write is one short transaction).
//
// A journal belongs to one attempt of one job, its owner: it opens changes
// as that attempt, takes over (adopts) what another job left open, and moves
// only the changes its owner answers for. An attempt that lost them (its
// worker declared dead, the changes adopted by a recovery job) can no longer
// close them when it comes back.
#pragma once

#include <pqxx/pqxx>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::devices {

enum class ChangePhase {
    pushing,           // open: the change is being loaded or applied
    committed,         // open: applied (and saved), not yet verified
    awaiting_confirm,  // open: applied on a confirm timer, waiting for confirm_devices
    verified,          // closed: the device runs the intended config
    restored,          // closed: the device runs its config before again
    completed,         // closed: a recovery brought the device forward to the intended config
    failed,            // closed: the job reported the device failed mid-change and marked it unsynchronized
    unreachable,       // closed: a recovery could not reach it; marked unsynchronized, left for an operator
};

std::string_view to_string(ChangePhase phase);
std::optional<ChangePhase> change_phase_from_string(std::string_view text);
// pushing, committed and awaiting_confirm: the device may be in between.
bool is_open(ChangePhase phase);

// An open change as its adopter sees it; its configs are read apart
// (ChangeJournal::configs), when the device's turn comes.
struct JournalEntry {
    std::int64_t id = 0;
    std::string hostname;
    std::int64_t sync_job_id = 0;
    ChangePhase phase = ChangePhase::pushing;
};

struct ChangeConfigs {
    std::string config_before;
    std::string intended;
};

struct OpenChange {
    std::string hostname;
    ChangePhase phase;
};

class ChangeJournal {
public:
    ChangeJournal(std::unique_ptr<pqxx::connection> conn, std::int64_t job_id, int attempt)
        : conn_(std::move(conn)), job_id_(job_id), attempt_(attempt) {}

    // The owner is about to change `hostname`: the change is open in phase
    // pushing. Returns its id.
    std::int64_t open(const std::string& hostname, const std::string& config_before, const std::string& intended);
    // The change reached `phase` (a closing phase closes it; a closed change
    // stays closed). Returns false, changing nothing, when the owner no
    // longer answers for it (adopted by another job, or closed).
    bool advance(std::int64_t id, ChangePhase phase);
    // The owner answers from now on for what `from_job_id` left open.
    std::vector<JournalEntry> adopt(std::int64_t from_job_id);
    // The configs of change `id` (std::runtime_error when there is no such
    // change): one device's at a time, so that a recovery of a thousand
    // devices holds only those in flight.
    ChangeConfigs configs(std::int64_t id);

    // The changes job `job_id` left open, in `tx` (the one that ends the job).
    static std::vector<OpenChange> open_for_job(pqxx::transaction_base& tx, std::int64_t job_id);
    // Drops closed changes older than `keep_days` days (they hold configs).
    static void prune(pqxx::connection& conn, int keep_days);

private:
    std::mutex mutex_;
    std::unique_ptr<pqxx::connection> conn_;
    const std::int64_t job_id_;
    const int attempt_;
};

}  // namespace switchyard::devices
