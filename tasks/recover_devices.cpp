// recover_devices: brings every device a job left mid-change back to a whole
// state (issue 10 item 2; README.md, "Crash safety").
//
// The engine schedules it in the transaction that ends a job abnormally (an
// exception, an abort, a timeout, its worker lost) when that job left change
// journal entries open (devices/change_journal.h), or was the confirm timer
// of one and ended without settling it; it inherits the job's device locks
// then. It adopts those entries (a crash of this job leaves them
// to its own retry or recovery), takes the devices' locks and, per device,
// settles a commit left on a confirm timer, reads the running config, and
// unless it already is the target pushes the target: the config before the
// change (sync.on_interrupted rollback, the default) or the intended one
// (complete; never for a commit whose confirm did not come by its deadline,
// which is rolled back); then reads again to verify. Its result says per device:
// restored, completed, or unreachable (marked unsynchronized and left for an
// operator). Arguments: {"interrupted_job_id": N, "hostnames": [...]}.
#include "recover_devices.h"

#include "batch_schedule.h"
#include "bring_to_config.h"
#include "device_job.h"
#include "device_job_catalog.h"
#include "devices/change_journal.h"
#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_store.h"
#include "devices/pending_commit_store.h"
#include "task_registry.h"

#include <map>
#include <optional>

namespace switchyard::tasks {
namespace {

using devices::ChangePhase;
using nlohmann::json;

struct RecoverWork : DeviceSlot {
    devices::JournalEntry change;
    std::optional<devices::StoredPendingCommit> pending;  // a commit the job left on a confirm timer
    std::string running;                                  // as read after the recovery, until device_done
    std::string running_hash;                             // config_hash(running)
    std::optional<ChangePhase> outcome;                   // restored or completed, once verified
    bool pushed = false;                                  // the recovery changed the device (else it read it whole)
    bool in_inventory = true;
};

class RecoverJob : public DeviceJobOf<RecoverWork> {
public:
    RecoverJob(JobContext& ctx, SyncEnvironment& env) : DeviceJobOf(ctx, env) {
        const auto& args = ctx.args();
        if (!args.is_object() || !args.contains("interrupted_job_id") ||
            !args["interrupted_job_id"].is_number_integer())
            throw std::invalid_argument("recover_devices needs argument 'interrupted_job_id'");
        interrupted_ = args["interrupted_job_id"];
    }

private:
    void body() override {
        target_ = env_.on_interrupted();
        set_result_field("interrupted_job_id", interrupted_);
        set_result_field("on_interrupted", std::string(devices::to_string(target_)));
        journal_ = open_journal();
        load_changes(conn());
        // Held by another job (one stuck on a device, which a confirm timer
        // gave up waiting for): wait by retrying, with the engine's backoff,
        // the changes adopted meanwhile; past the attempts, a recovery of
        // this job adopts them in turn.
        try {
            lock_devices();
        } catch (const LockBusy& e) {
            throw RetryableError("devices it recovers are locked by another job (" + std::string(e.what()) +
                                 "): trying again once they are free");
        }
        // No abort check per device: a device left half changed is worse
        // than a recovery that runs to its end.
        fan_out({"recovering", true, false}, [this](std::size_t i, devices::DeviceContext& dc) { recover(i, dc); });
        store(conn());
        int failed = 0;
        for (auto& w : work_) failed += w.failed;
        ctx_.set_change_score(failed ? 100 : 0);
    }

    json device_result(std::size_t i) const override {
        const auto& w = work_[i];
        std::string outcome = w.outcome ? std::string(devices::to_string(*w.outcome)) : "unreachable";
        json task = {{"task_name", "Recover device config"}, {"result", w.message}, {"diff", ""}, {"failed", w.failed}};
        return {{"failed", w.failed},
                {"outcome", outcome},
                {"phase_left", std::string(devices::to_string(w.change.phase))},
                {"job_tasks", json::array({task})}};
    }

    // The entries the interrupted job left open (and those an earlier
    // attempt of this job adopted), one per device, and each device with
    // the commit it may have left on a timer.
    void load_changes(pqxx::connection& conn) {
        std::map<std::string, devices::JournalEntry> by_host;
        // Disarming their confirm timers (frr): this job settles each commit
        // itself, and a timer job that took one first keeps it.
        for (auto from : {interrupted_, ctx_.job().id})
            for (auto& e : journal_->adopt_disarming(from)) by_host[e.hostname] = e;
        devices::DeviceStore store(conn);
        devices::PendingCommitStore pending(conn);
        std::vector<devices::Device> devices;
        std::vector<bool> missing;
        for (auto& [host, e] : by_host) {
            auto d = store.get(host);
            devices::Device placeholder;  // nothing to do on it: only its entry in the result
            placeholder.hostname = host;
            devices.push_back(d ? *d : placeholder);
            missing.push_back(!d);
        }
        load(std::move(devices));
        std::size_t i = 0;
        for (auto& [host, e] : by_host) {
            auto& w = work_[i];
            w.change = e;
            if (e.phase == ChangePhase::awaiting_confirm) w.pending = pending.get(host, e.sync_job_id);
            if (missing[i]) {
                w.in_inventory = false;
                w.failed = true;
                w.message = "the device is not in the inventory any more; left for an operator";
            }
            ++i;
        }
    }

    void recover(std::size_t i, devices::DeviceContext& dc) {
        auto& w = work_[i];
        // A commit whose confirm never came in time is rolled back whatever
        // sync.on_interrupted says: completing it would keep what nobody
        // confirmed. That is one the deadline passed on (or whose timer job
        // gave it up), and one whose device's own timer already ran out.
        const bool unconfirmed =
            w.change.unconfirmed || (w.pending && w.pending->time_left <= std::chrono::milliseconds(0));
        const bool roll_back = target_ == devices::RecoveryTarget::rollback || unconfirmed;
        // Read now, dropped when this device is done: the recovery holds the
        // configs of the devices in flight only (issue 16's rule).
        const std::string target = [&] {
            auto configs = journal_->configs(w.change.id);
            return roll_back ? std::move(configs.config_before) : std::move(configs.intended);
        }();
        auto conn = connect(i, dc);
        // A commit on a timer: settle it the way the target asks, so that
        // the device's own timer does not undo the recovery later.
        if (w.pending && w.pending->time_left > std::chrono::milliseconds(0)) {
            ctx_.fence();
            if (roll_back) conn.driver().rollback(w.pending->pending);
            else conn.driver().confirm(w.pending->pending);
        }
        // One read to know where the device stands, one after a push to
        // verify it, and none between (the config to go back to is the
        // journal's). tests/service/recovery_phases_test.cpp counts them
        // per platform.
        auto brought = bring_to_config(
            conn.driver(), target, [this] { ctx_.fence(); }, "the recovery's commit");
        w.running = std::move(brought.running);
        w.running_hash = devices::config_hash(w.running);
        const bool pushed = w.pushed = brought.pushed;
        std::string job = "job " + std::to_string(w.change.sync_job_id);
        if (roll_back) {
            w.outcome = ChangePhase::restored;
            w.message = pushed ? "restored: the config it ran before " + job + " is back (verified)"
                               : "restored: it already ran its config before " + job + " (verified)";
            if (unconfirmed && target_ != devices::RecoveryTarget::rollback)
                w.message += "; the commit of " + job +
                             " was not confirmed by its deadline, so it is rolled back, not completed";
        } else {
            w.outcome = ChangePhase::completed;
            w.message = pushed ? "completed: it now runs the config " + job + " intended (verified)"
                               : "completed: it already ran the config " + job + " intended (verified)";
        }
        // Closed as soon as the device is whole, here in its own step: one
        // short transaction each, overlapping the other devices' SSH work,
        // not one after another once the last device is done (part of the
        // 7.6 s a recovery of 938 devices spent after its last device in
        // bench/recovery).
        journal_->advance(w.change.id, *w.outcome);
    }

    // Device i is done: what it runs now goes to config history with the
    // next batch rather than at the job's end, so that a recovery holds the
    // configs of the devices in flight only (issue 16; 1,000 devices of
    // 2,000 lines held 66 MB to the end).
    void device_done(std::size_t i) override {
        auto& w = work_[i];
        if (!w.outcome || w.failed) return;
        history_bytes_ += w.running.size();
        history_.push_back(
            {w.device.hostname, std::move(w.running), ctx_.job().id, w.pushed ? "pushed" : "read", w.running_hash});
        std::string().swap(w.running);
        if (!schedule_.due(history_.size(), history_bytes_)) return;
        schedule_.attempting();
        try {
            write_history(conn());
            schedule_.succeeded();
        } catch (const std::exception& e) {
            // Kept: the next batch due or store() writes it, or fails the attempt.
            conn_.reset();
            schedule_.failed();
            ctx_.log().warn("recording recovered devices' configs failed (tried again later): {}", e.what());
        }
    }

    // The job's own connection, opened again after one broke.
    pqxx::connection& conn() {
        if (!conn_ || !conn_->is_open()) conn_ = env_.connect();
        return *conn_;
    }

    void write_history(pqxx::connection& conn) {
        devices::ConfigHistory(conn).record(history_);
        history_.clear();
        history_bytes_ = 0;
    }

    // The devices' sync states, their config history, the commits settled
    // and the journal of those not whole, once every device is done (the
    // journal of a device made whole closed in its step).
    void store(pqxx::connection& conn) {
        std::vector<devices::DeviceStore::SyncState> states;
        for (std::size_t i = 0; i < work_.size(); ++i) {
            auto& w = work_[i];
            const auto& host = w.device.hostname;
            if (w.outcome && !w.failed) {
                // Switchyard left it this way: its confhash says so.
                states.push_back({host, *w.outcome == ChangePhase::completed, w.running_hash});
                if (w.pending) devices::PendingCommitStore(conn).remove({host}, w.change.sync_job_id);
            } else {
                journal_->advance(w.change.id, ChangePhase::unreachable);
                w.outcome.reset();
                w.message = "unreachable (" + w.message + "): marked unsynchronized and left for an operator";
                if (w.in_inventory) states.push_back({host, false, w.device.confhash, "recovery"});
            }
        }
        devices::DeviceStore(conn).update_sync_states(states, ctx_.job().scheduled_by, ctx_.job().id);
        write_history(conn);
    }

    // Config history waiting to be written (device_done), in batches as
    // a sync writes its texts.
    std::vector<devices::ConfigEntry> history_;
    std::size_t history_bytes_ = 0;
    BatchSchedule schedule_{env_.text_flush_interval()};
    std::unique_ptr<pqxx::connection> conn_;  // the job's own, from body()

    std::int64_t interrupted_ = 0;
    devices::RecoveryTarget target_ = devices::RecoveryTarget::rollback;
    std::unique_ptr<devices::ChangeJournal> journal_;
};

json recover_devices_arguments_schema() {
    return {{"type", "object"},
            {"properties",
             {{"interrupted_job_id", {{"type", "integer"}, {"description", "the job that left devices mid-change"}}},
              {"hostnames",
               {{"type", "array"},
                {"items", {{"type", "string"}}},
                {"description", "the devices it left mid-change (for the record: the journal decides)"}}}}},
            {"required", {"interrupted_job_id"}}};
}

}  // namespace

void register_recover_task(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add({.function_name = "recover_devices",
                  .run = [factory](JobContext& ctx) { RecoverJob(ctx, *device_environment(factory)).run(); },
                  // Run again, it reads each device and pushes only what is still not whole.
                  .retry_safe = true,
                  .default_max_attempts = 3,
                  .description = "brings devices a job left mid-change back to their config before "
                                 "(sync.on_interrupted rollback) or forward to the intended one (complete)",
                  .arguments_schema = recover_devices_arguments_schema(),
                  .locks = {"device:<hostname> of each device (handed over by the interrupted job)"},
                  .device_count = named_device_count});
    registry.add_recovery(
        {.name = "devices left mid-change",
         .recovery = [](pqxx::transaction_base& tx, const EndedAbnormally& job) -> std::optional<RecoveryJob> {
             auto open = devices::ChangeJournal::open_for_job(tx, job.id);
             if (open.empty()) return std::nullopt;
             json hosts = json::array();
             for (auto& c : open) hosts.push_back(c.hostname);
             return RecoveryJob{"recover_devices", {{"interrupted_job_id", job.id}, {"hostnames", hosts}}};
         }});
}

}  // namespace switchyard::tasks
