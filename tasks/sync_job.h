// sync_devices as a device job: what it knows per device and its steps
// (sync_devices.cpp: the flow and the read; sync_push.cpp: push, commit and
// confirm). Internal to tasks/.
#pragma once

#include "device_job.h"
#include "devices/change_journal.h"
#include "devices/config_hash.h"
#include "devices/confirm_mode.h"
#include "devices/defaults.h"
#include "devices/device_store.h"
#include "devices/pending_commit.h"
#include "rollout.h"
#include "sync_texts.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace switchyard::tasks {

struct SyncOptions {
    devices::DeviceSelector selector;
    bool dry_run = true;
    bool force = false;
    bool auto_push = false;
    devices::ConfirmMode confirm_mode = devices::defaults::kDefaultConfirmMode;
    // confirm_mode 2 only: one device failing its push or commit means no
    // device is confirmed (every committed one is rolled back), as CNaaS-NMS
    // does in its mode 2.
    bool confirm_all_or_nothing = false;
    // A live run pushes in batches with a failure budget (rollout.h).
    std::optional<Rollout> rollout;
};

// Throws std::invalid_argument for arguments that are not a sync's.
SyncOptions parse_sync_options(const nlohmann::json& args);

// The confirm_mode a job of a sync kind gets when its arguments name none:
// sync.default_confirm_mode, or its named default when this process has no
// device access.
devices::ConfirmMode configured_confirm_mode(const SyncEnvironmentFactory& factory);

// A device's texts, held only while it is in flight (SyncWork::intended() ...).
struct InFlightTexts {
    std::string intended;  // the generated config
    std::string read;      // the running config as the first pass read it
    std::string running;   // the running config as last read (after a push: what the device runs now)
    std::string diff;      // unified, running -> intended
};

struct SyncWork : DeviceSlot {
    // The texts, held only while the device is in flight: SyncTexts takes
    // them once the device's last pass is done with it, and a live run
    // parks them between its read and its push (sync_texts.h). Behind a
    // pointer, made on first use: a device not in flight holds 8 bytes for
    // them, not 128 (a job holds a SyncWork per device of the fleet: issue 16).
    std::string& intended() { return texts().intended; }
    std::string& read() { return texts().read; }
    std::string& running() { return texts().running; }
    std::string& diff() { return texts().diff; }
    const std::string& intended() const { return texts_ ? texts_->intended : kNoText; }
    const std::string& read() const { return texts_ ? texts_->read : kNoText; }
    const std::string& running() const { return texts_ ? texts_->running : kNoText; }
    const std::string& diff() const { return texts_ ? texts_->diff : kNoText; }
    // The texts go, buffers and all.
    void drop_texts() { texts_.reset(); }

    // What stays once the texts are gone.
    devices::ConfigHash read_hash;     // of read: drift needs only this
    devices::ConfigHash running_hash;  // of running, set when the texts go
    std::int64_t generated_id = 0;     // the generated config (devices/job_texts.h); 0: not stored
    std::string result_diff;           // the diff as the result holds it: whole, or its first lines (masked)
    std::int64_t diff_id = 0;          // the whole diff when the result holds only its first lines
    // Those first lines were dropped once the whole diff was stored: they
    // are read back from it when the result is written (SyncJob::with_diff).
    bool result_diff_stored = false;
    std::size_t diff_bytes = 0;
    bool diff_cut = false;               // the result holds only the diff's first lines
    bool diff_cut_by_job_limit = false;  // ... because the job's result held enough diffs already
    bool texts_taken = false;
    bool read_texts_taken = false;  // its generated config, diff and read are taken (result_diff is set)
    bool parked = false;            // its read and intended configs wait in PostgreSQL for its push
    bool generated = false;         // the intended config was rendered (stored with the job's texts as "generated")
    bool reached = false;           // the device answered
    bool changes = false;
    int change_score = 0;
    // confirm_mode 2: committed with a timer, awaiting confirm_devices
    // (behind a pointer for the same reason as the texts).
    std::unique_ptr<devices::PendingCommit> pending;
    std::int64_t change = 0;  // its open change journal entry (0: the device was not touched)
    devices::ChangePhase change_phase = devices::ChangePhase::pushing;  // where that entry is
    bool timer_on_device = false;  // committed on a timer the device itself enforces (eos, junos)
    std::int64_t timer_job = 0;    // else the roll_back_unconfirmed job armed on its entry (0: none)

private:
    InFlightTexts& texts() {
        if (!texts_) texts_ = std::make_unique<InFlightTexts>();
        return *texts_;
    }
    static inline const std::string kNoText;
    std::unique_ptr<InFlightTexts> texts_;
};

class SyncJob : public DeviceJobOf<SyncWork> {
public:
    SyncJob(JobContext& ctx, SyncEnvironment& env, SyncOptions options)
        : DeviceJobOf(ctx, env), o_(std::move(options)) {}

protected:
    // What a job built on the sync (apply_config.cpp: a config history
    // record instead of the templates) changes of it; the defaults are the
    // sync's, in sync_devices.cpp.
    //
    // Device i's intended config into work_[i].intended() (setting generated
    // when it was rendered); throws std::runtime_error saying why not.
    virtual void take_intended(std::size_t i);
    // What the read says of device w, once diffed.
    virtual std::string read_message(const SyncWork& w) const;
    // Device w's sync state once the job is done; nullopt: left as it is.
    virtual std::optional<devices::DeviceStore::SyncState> sync_state(const SyncWork& w) const;
    // `task` with device i's diff as the result holds it (whole, or its
    // first lines and where the whole one is).
    nlohmann::json with_diff(std::size_t i, nlohmann::json task) const;

private:
    void body() override;
    nlohmann::json device_result(std::size_t i) const override;
    // The device's last pass is done with it: its texts go (sync_texts.h).
    void device_done(std::size_t i) override;
    // Live runs, the device read: parked until its push, or taken whole
    // when it has nothing to push.
    void device_between_passes(std::size_t i) override;
    // Whatever texts are still held (a job ended early) are written.
    void settle() override;

    // sync_devices.cpp
    // Where this job renders from (the commits it recorded), resolved once:
    // every device renders from the same trees or fails with the same reason.
    templates::RenderSources render_sources();
    void read_and_diff(std::size_t i, devices::DeviceContext& dc);
    void refuse_drift();
    void refuse_unsettled_changes();
    void maybe_auto_push(int job_score);
    void finish();

    // sync_push.cpp
    void push(std::size_t i, devices::DeviceContext& dc);
    void confirm_on_new_connection(std::size_t i, devices::DeviceConnection& first,
                                   const devices::PendingCommit& pending, const devices::Credentials& creds,
                                   devices::DeviceContext& dc);
    // Before a commit on a timer the device does not enforce itself (frr):
    // the roll_back_unconfirmed job at the deadline, armed on its entry.
    void await_confirm(std::size_t i, const devices::Driver& driver);
    // Before this job rolls device i's commit back itself: its confirm timer
    // is disarmed. False when the entry is no longer this job's (the timer
    // job took it at its deadline): then nothing of this job touches the
    // change again (its `change` is 0) and `why` says who has it.
    bool take_back_from_timer(std::size_t i, std::string& why);
    void hand_over_to_confirm();
    void roll_back_unconfirmed();
    // Device i's commit on a timer is undone now (its journal entry: restored).
    void roll_back_pending(std::size_t i, devices::DeviceContext& dc);

    // sync_rollout.cpp: phase 2 batch by batch; throws std::runtime_error
    // saying why when the failure budget stopped it (after finish()).
    void push_in_batches();
    // Between two batches: the pause, and while suspended the wait for a
    // resume; an abort ends it at once. `after` is the batch just done.
    void pause_between_batches(std::size_t after, nlohmann::json progress);

    // sync_all_or_nothing.cpp (confirm_mode 2 with confirm_all_or_nothing)
    // A device failed before the push: none is pushed. True when so.
    bool refuse_partial_push();
    // A device failed its push or commit: every device committed on a timer
    // is rolled back now, none confirmed. True when so.
    bool roll_back_all_if_one_failed();
    // Ends the job EXCEPTION naming the devices that failed.
    [[noreturn]] void throw_all_or_nothing_failure() const;
    // The change journal's entry of device i reached `phase`.
    void journal(std::size_t i, devices::ChangePhase phase);
    // Devices that failed mid-change (sync_failed_changes.cpp): each is read
    // again and put back on its config before the change, verified; its
    // entry closes restored. One that cannot be (unreachable, the push back
    // refused) stays open for a recovery job: throw_if_left_mid_change()
    // ends the job EXCEPTION so that the engine schedules it. A device
    // whose own timer undoes its commit (eos, junos) closes failed.
    void settle_failed_changes();
    void restore_failed(std::size_t i, devices::DeviceContext& dc);
    void throw_if_left_mid_change() const;

    // Device i's cut diff's first lines, read back from its stored whole
    // diff (result_diff_stored) with those of the next devices, when the
    // result is written (with_diff; job thread only). Empty if unreadable.
    std::string stored_diff_head(std::size_t i) const;

    SyncOptions o_;
    std::unique_ptr<SyncTexts> texts_;                 // made by body()
    bool handed_over_ = false;                         // confirm_mode 2: the confirm job is scheduled
    std::string all_or_nothing_failed_;                // confirm_all_or_nothing: the devices that failed, "a, b"
    std::string left_mid_change_;                      // devices whose entries stay open for a recovery job, "a, b"
    std::unique_ptr<devices::ChangeJournal> journal_;  // live runs, from the push on
    std::mutex sources_mutex_;                         // the fan-out reads devices in parallel
    std::optional<templates::RenderSources> sources_;
    std::string sources_error_;  // set when they cannot be resolved
    // stored_diff_head's batch: the first lines of the cut diffs of devices
    // [begin_device, end_device), by diff_id.
    struct DiffHeads {
        std::map<std::int64_t, std::string> by_id;
        std::size_t begin_device = 0, end_device = 0;
    };
    mutable DiffHeads heads_;
    mutable bool heads_unreadable_ = false;
};

// The device answered with a config other than the one Switchyard last
// left on it (its confhash): it was changed outside Switchyard.
bool drifted(const SyncWork& w);

// junos shows secrets as "/* SECRET-DATA */" to a login class without the
// secret permission: those were taken as equal, and the result says so
// (`hidden`: devices::hidden_secrets(), or a ConfigComparison's count).
std::string hidden_secrets_note(std::size_t hidden);

}  // namespace switchyard::tasks
