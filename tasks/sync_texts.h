// A sync's texts leave memory as its devices finish (issue 16): a job's
// memory is bounded by the devices in flight, not by the fleet. When a
// device's last pass is done with it, SyncTexts takes its texts (running,
// intended, read, diff) out of its SyncWork and writes them in batches, on a
// connection of the job's own: the configs it read or pushed to config
// history (devices/config_history.h), the generated config and a diff too
// large for the result to the job's texts (devices/job_texts.h). What stays
// in SyncWork is what later phases and the result need: hashes, flags, ids,
// and the diff as the result holds it (whole up to sync.result_diff_max_bytes,
// and while the job's inline diffs stay within sync.result_diffs_max_bytes;
// else its first lines). A batch is written when due (batch_schedule.h: by
// its size, or once a flush interval has passed; after a failed attempt only
// by time) and at the job's end; a crash loses at most the batch being
// filled, whose devices the job then never reports done with a stored record.
//
// A live run reads every device before it pushes to any (the drift check
// needs them all read). Between the two, a device with a change to push is
// parked: what its read made that is final already (the generated config,
// the diff as the result holds it, the "read" record) is taken as above, and
// the two configs its push needs (the one read, the intended one) go to
// PostgreSQL byte for byte (devices/parked_configs.h) and come back when its
// push starts (unpark). A device with nothing to push is taken whole.
// Internal to tasks/.
#pragma once

#include "batch_schedule.h"
#include "devices/config_history.h"
#include "devices/connection_pool.h"
#include "devices/defaults.h"
#include "devices/job_texts.h"
#include "devices/parked_configs.h"
#include "sync_environment.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace switchyard::tasks {

struct SyncWork;

class SyncTexts {
public:
    // The most connections unpark reads through at once.
    static constexpr std::size_t kUnparkConnections = 4;

    // What a result holds of diffs: each whole up to `per_device` bytes, all
    // together up to `per_job` (the first devices done keep theirs whole).
    struct DiffLimits {
        std::size_t per_device = 0;
        std::size_t per_job = 0;
    };

    SyncTexts(SyncEnvironment& env, std::int64_t job_id, DiffLimits diff_limits,
              std::chrono::milliseconds flush_interval);

    // Device w is done: its texts are taken (once; w keeps hashes and, after
    // the batch is written, the ids), and the batch is written when due.
    // From the job's own thread only (the fan-out's on_done).
    void take(SyncWork& w);
    // Live runs, once device w (reached, with a change to push) has been
    // read: parked until its push (above), written with the next batch.
    // From the job's own thread only.
    void park(SyncWork& w);
    // Device w's push starts: its parked configs come back into it (read,
    // running as read, intended). Any thread (the fan-out's), on a
    // connection of its own. Throws std::runtime_error saying why when they
    // cannot; nothing was pushed then. A device not parked is left as it is.
    void unpark(SyncWork& w);
    // The job is done: what it parked and never took back goes (at once
    // from memory; from PostgreSQL when it can, else with the job). From
    // the job's own thread only.
    void drop_parked();
    // A config read from a device after its texts were taken (a rollback),
    // recorded with the next batch. Any thread.
    void add_read(const std::string& hostname, std::string config);
    // Writes what waits now. From the job's own thread only.
    void flush();
    // The first lines of the whole diffs `diff_ids` (stored by flush), as a
    // result holds them (diff_head, safe_text), by id: a cut diff's first
    // lines leave memory once the whole diff is stored (about a kilobyte a
    // device, for every device of the fleet, until the result is written).
    // Made from each diff's first kDiffHeadReadChars characters, which hold
    // at least the kDiffSummaryMaxBytes bytes a head may have. From the
    // job's own thread only.
    static constexpr int kDiffHeadReadChars = static_cast<int>(devices::defaults::kDiffSummaryMaxBytes);
    // Read first: most heads lie in a diff's first few kilobytes, and to cut
    // a text PostgreSQL counts the characters of four bytes for each one
    // asked for (PostgreSQL 15, a 117 KB text: left(text, 65536) 0.24 ms,
    // left(text, 4096) 0.02 ms, reading it whole 0.05 ms). A diff whose
    // head this does not hold is read again to kDiffHeadReadChars.
    static constexpr int kDiffHeadFirstReadChars = 4096;
    std::map<std::int64_t, std::string> diff_heads(const std::vector<std::int64_t>& diff_ids);

private:
    struct Pending {
        SyncWork* work = nullptr;
        std::size_t generated = SIZE_MAX;  // index in texts_ of its generated config
        std::size_t diff = SIZE_MAX;       // ... of its whole diff
    };
    // Takes w's texts into the batch; true when the batch is due.
    bool hold(SyncWork& w);
    // What w's read made that is final: its generated config, its diff as
    // the result holds it and its "read" record. With mutex_ held.
    void hold_read(SyncWork& w);
    bool due() const;

    SyncEnvironment& env_;
    const std::int64_t job_id_;
    const DiffLimits diff_limits_;
    std::size_t inline_diff_bytes_ = 0;       // of the diffs the result holds whole
    std::unique_ptr<pqxx::connection> conn_;  // the job's own, made on the first write
    std::mutex mutex_;                        // add_read comes from the fan-out's threads
    std::vector<Pending> pending_;
    std::vector<devices::ConfigEntry> history_;
    std::vector<devices::JobText> texts_;
    std::vector<devices::ParkedConfigs> parked_;  // written before history_ and texts_
    bool parked_any_ = false;
    // unpark comes from the fan-out's threads: at a high ssh.concurrency a
    // thousand pushes start at once, and on one connection their reads
    // queued (a recovery bench's pusher at 1,000 in flight started its
    // changes a fifth as fast).
    devices::ConnectionPool unpark_pool_;
    std::size_t bytes_ = 0;
    BatchSchedule schedule_;  // with mutex_ held
};

// The first devices::defaults::kDiffSummaryLines lines (at most
// kDiffSummaryMaxBytes bytes of them) of a diff too large for a job's
// result (not masked yet).
std::string diff_head(const std::string& diff);

}  // namespace switchyard::tasks
