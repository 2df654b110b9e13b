// The change journal (README.md, "Crash safety"; issue 10 item 1): before a
// live sync touches a device it records, in PostgreSQL, the config the device
// ran and the one it is about to get; the record follows each phase of the
// change and closes when the device is verified or restored. What a job that
// ended abnormally left open is what its recovery job repairs
// (service/sql/migrations/0086_baseline.sql).
//
// Beside devices::PendingCommitStore, not instead of it: that store keeps
// what a confirm needs (session, timer, deadline); this one keeps what a
// crash needs. Thread-safe: a job's fan-out threads share one journal and
// its few connections (each write is one short transaction).
//
// A journal belongs to one attempt of one job, its owner: it opens changes
// as that attempt, takes over (adopts) what another job left open, and moves
// only the changes its owner answers for. An attempt that lost them (its
// worker declared dead, the changes adopted by a recovery job) can no longer
// close them when it comes back.
//
// Confirm timers (issue 10 item 3): a device without a timer of its own (frr)
// that commits on a confirm timer gets one here. Its owner schedules a
// roll_back_unconfirmed job at the deadline and arms the entry with it once
// the commit is applied (await_confirm_armed). The first of these wins, each one
// conditional statement: the owner confirms (claim_confirm, refused once
// the deadline passed) or settles the change itself (disarm, advance to any
// phase but awaiting_confirm); a recovery adopts it (adopt_disarming); the
// timer job takes it at its deadline (take_at_deadline). Whoever disarms the
// timer cancels its job in the same transaction (on_timer_disarmed).
#pragma once

#include <pqxx/pqxx>

#include "devices/connection_pool.h"

#include <chrono>
#include <cstdint>
#include <functional>
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
    // Set by adopt_disarming: a commit whose confirm did not come by its
    // deadline, or whose timer job gave it up. Never confirmed, so it is
    // rolled back whatever sync.on_interrupted says.
    bool unconfirmed = false;
};

struct ChangeConfigs {
    std::string config_before;
    std::string intended;
};

// Where a change is, as anyone may read it.
struct ChangeState {
    std::string hostname;
    std::int64_t sync_job_id = 0;
    std::int64_t job_id = 0;  // the job that answers for it now
    ChangePhase phase = ChangePhase::pushing;
    std::optional<std::int64_t> confirm_timer_job_id;  // set while its confirm timer is armed
    bool deadline_passed = false;                      // its confirm deadline, if it has one, has passed
};

struct OpenChange {
    std::string hostname;
    ChangePhase phase;
};

// A change another job left open on a device, as a job about to push sees it.
struct UnsettledChange {
    std::int64_t id = 0;
    std::string hostname;
    std::int64_t job_id = 0;  // the job that answers for it
    std::int64_t sync_job_id = 0;
    ChangePhase phase = ChangePhase::pushing;
    std::optional<std::int64_t> confirm_timer_job_id;
};

class ChangeJournal {
public:
    using Connect = ConnectionPool::Connect;
    // Writes through `conn` only, one at a time.
    ChangeJournal(std::unique_ptr<pqxx::connection> conn, std::int64_t job_id, int attempt);
    // Writes through up to `max_connections` connections, opened by
    // `connect` when the fan-out's writes overlap: each is a short
    // transaction waiting for its commit's flush, and on one connection
    // those of 50 devices in flight queued (80-230 ms each in a live sync
    // of 1,000 devices); side by side PostgreSQL flushes them together.
    // A connection that broke is dropped, and the next write opens another.
    ChangeJournal(Connect connect, std::int64_t job_id, int attempt, std::size_t max_connections);
    ~ChangeJournal();

    // The owner is about to change `hostname`: the change is open in phase
    // pushing. Returns its id.
    std::int64_t open(const std::string& hostname, const std::string& config_before, const std::string& intended);
    // The change reached `phase` (a closing phase closes it; a closed change
    // stays closed). Returns false, changing nothing, when the owner no
    // longer answers for it (adopted by another job, or closed).
    bool advance(std::int64_t id, ChangePhase phase);
    // The owner answers from now on for what `from_job_id` left open.
    // Their confirm timers stay armed: a confirm job adopts the changes it
    // is to confirm before the deadline.
    std::vector<JournalEntry> adopt(std::int64_t from_job_id);
    // The same for a recovery, which settles each change itself: their
    // confirm timers are disarmed (and their jobs cancelled). When
    // `from_job_id` is a confirm timer job that ended without settling its
    // change, that change is adopted too.
    std::vector<JournalEntry> adopt_disarming(std::int64_t from_job_id);

    // Confirm timers. Called with the job of a timer that gets disarmed, in
    // the transaction that disarms it (the owner's engine cancels the job:
    // devices/ knows no jobs).
    using CancelTimerJob = std::function<void(pqxx::transaction_base& tx, std::int64_t timer_job_id)>;
    void on_timer_disarmed(CancelTimerJob cancel);
    // The commit of change `id` is applied on a timer the device does not
    // enforce itself (frr): in one transaction `schedule(tx)` inserts the
    // roll_back_unconfirmed job, at `timer` from the transaction's now(), and
    // returns its id, and the change moves to awaiting_confirm armed with it.
    // The deadline runs from the end of the apply, as a device's own timer
    // does from its commit. False, and nothing scheduled, when the owner no
    // longer answers for the change.
    bool await_confirm_armed(std::int64_t id, std::chrono::seconds timer,
                             const std::function<std::int64_t(pqxx::transaction_base& tx)>& schedule);
    // The owner is about to confirm change `id`: from awaiting_confirm to
    // committed, its timer disarmed. False when it must not confirm: the
    // owner lost the change (the timer job took it, a recovery adopted it)
    // or its confirm deadline has passed (state() says which).
    bool claim_confirm(std::int64_t id);
    // The owner is about to roll change `id` back itself: its timer is
    // disarmed first, so that the timer job does not do the same at once.
    // False when the owner no longer answers for it.
    bool disarm(std::int64_t id);
    // The owner (a roll_back_unconfirmed job) takes change `id` at its
    // deadline, whoever answered for it: only while it is the change's armed
    // timer and the commit still waits for its confirm.
    std::optional<JournalEntry> take_at_deadline(std::int64_t id);
    std::optional<ChangeState> state(std::int64_t id);
    // The latest change live sync `sync_job_id` made on `hostname`.
    std::optional<std::int64_t> change_of_sync(std::int64_t sync_job_id, const std::string& hostname);
    // The configs of change `id` (std::runtime_error when there is no such
    // change): one device's at a time, so that a recovery of a thousand
    // devices holds only those in flight.
    ChangeConfigs configs(std::int64_t id);

    // The changes open on `hostnames` that another job than the owner
    // answers for: nothing may be pushed over them.
    std::vector<UnsettledChange> unsettled_on(const std::vector<std::string>& hostnames);

    // The changes job `job_id` left open, in `tx` (the one that ends the job):
    // those it answers for, and those still armed with it as their confirm
    // timer (a timer job that ended without taking its change).
    static std::vector<OpenChange> open_for_job(pqxx::transaction_base& tx, std::int64_t job_id);
    // Drops closed changes older than `keep_days` days (they hold configs).
    static void prune(pqxx::connection& conn, int keep_days);

private:
    template <typename Statement>
    bool disarming(Statement statement);
    void cancel_disarmed(pqxx::transaction_base& tx, const std::optional<std::int64_t>& timer_job_id);

    ConnectionPool pool_;
    std::mutex mutex_;  // guards cancel_timer_
    CancelTimerJob cancel_timer_;
    const std::int64_t job_id_;
    const int attempt_;
};

}  // namespace switchyard::devices
