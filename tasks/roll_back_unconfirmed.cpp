// roll_back_unconfirmed: the confirm timer of a device that has none of its
// own (frr; issue 10 item 3, README.md "Confirm modes").
//
// A live sync with confirm_mode 1 or 2 schedules this job at the confirm
// deadline once it has applied its commit on such a device (the deadline
// runs from there), and arms the device's change journal entry with it in
// the same transaction. A confirm that comes in
// time (the sync's own in mode 1, confirm_devices in mode 2), the sync's own
// rollback or a recovery disarms the timer and cancels this job (ABORTED).
// Otherwise it runs at the deadline, in whichever process claims it, and
// takes the entry away from whoever answers for it (one conditional
// statement: devices::ChangeJournal::take_at_deadline), without waiting for
// the device's lock if the sync or its confirm job holds it past the
// deadline (any other holder is waited for): from then on none of them may
// confirm or roll back that change.
// It puts the config before the change back (from the journal), verifies it,
// closes the entry restored, drops the pending commit and marks the device
// unsynchronized (sync history cause commit_confirm_failed). A change that
// was confirmed, rolled back or adopted by a recovery first is left alone,
// and the result says by which job. A device it cannot put back ends the job
// EXCEPTION with the entry open, so that the engine schedules its recovery.
// So does a timer job that ends without taking its change (its attempts run
// out while another job holds the device, or an operator aborts it): the
// change is still armed with it, and the recovery that adopts it rolls it
// back (devices/sql/change_journal/open_for_job.sql); else the device would
// be refused by every later sync, its change settled by nobody.
// Arguments: {"hostname", "sync_job_id", "change_id"}.
#include "roll_back_unconfirmed.h"

#include "bring_to_config.h"
#include "device_job.h"
#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_store.h"
#include "devices/pending_commit_store.h"
#include "task_registry.h"

#include <optional>

namespace switchyard::tasks {
namespace {

using devices::ChangePhase;
using nlohmann::json;

struct TimerArgs {
    std::string hostname;
    std::int64_t sync_job_id = 0;
    std::int64_t change_id = 0;
};

TimerArgs parse_timer_args(const json& args) {
    if (!args.is_object() || !args.contains("hostname") || !args["hostname"].is_string() ||
        !args.contains("sync_job_id") || !args["sync_job_id"].is_number_integer() || !args.contains("change_id") ||
        !args["change_id"].is_number_integer())
        throw std::invalid_argument(std::string(kConfirmTimerKind) +
                                    " needs arguments 'hostname', 'sync_job_id' and 'change_id'");
    return {args["hostname"].get<std::string>(), args["sync_job_id"].get<std::int64_t>(),
            args["change_id"].get<std::int64_t>()};
}

struct TimerWork : DeviceSlot {
    bool taken = false;                      // this job answers for the change: it rolls the device back
    bool restored = false;                   // verified on its config before
    bool pushed = false;                     // this job changed the device (else it found it on its config before)
    std::string running;                     // as read after the rollback
    std::optional<std::int64_t> settled_by;  // the job that confirmed or settled the change instead
};

class ConfirmTimerJob : public DeviceJobOf<TimerWork> {
public:
    ConfirmTimerJob(JobContext& ctx, SyncEnvironment& env) : DeviceJobOf(ctx, env), a_(parse_timer_args(ctx.args())) {}

private:
    void body() override {
        set_result_field("sync_job_id", a_.sync_job_id);
        set_result_field("change_id", a_.change_id);
        journal_ = open_journal();
        auto conn = env_.connect();
        auto device = devices::DeviceStore(*conn).get(a_.hostname);
        devices::Device placeholder;  // nothing to do on it: only its entry in the result
        placeholder.hostname = a_.hostname;
        load({device ? *device : placeholder});
        auto& w = work_[0];
        lock_device();
        w.taken = journal_->take_at_deadline(a_.change_id).has_value();
        if (!w.taken) {
            say_why_not_taken(w);
            return;
        }
        if (!device) {
            journal_->advance(a_.change_id, ChangePhase::unreachable);
            w.failed = true;
            w.message = "the device is not in the inventory any more: its unconfirmed commit of job " +
                        std::to_string(a_.sync_job_id) + " could not be rolled back; left for an operator";
            return;
        }
        // No abort check: a commit left unconfirmed past its deadline is
        // what this job exists to undo.
        fan_out({"rolling back", true, false}, [this](std::size_t i, devices::DeviceContext& dc) { roll_back(i, dc); });
        store(*conn);
        if (w.failed)
            throw std::runtime_error("the unconfirmed commit of job " + std::to_string(a_.sync_job_id) + " on " +
                                     a_.hostname + " could not be rolled back (" + w.message +
                                     "); its change stays open for a recovery job");
        ctx_.set_change_score(0);
    }

    json device_result(std::size_t i) const override {
        const auto& w = work_[i];
        json task = {
            {"task_name", "Roll back unconfirmed commit"}, {"result", w.message}, {"diff", ""}, {"failed", w.failed}};
        json out = {{"failed", w.failed},
                    {"outcome", w.restored ? "restored"
                                : w.taken  ? "not_restored"
                                           : "not_needed"},
                    {"job_tasks", json::array({task})}};
        if (w.settled_by) out["settled_by_job_id"] = *w.settled_by;
        return out;
    }

    // The device's lock if it is free. Held by the sync or by the job that
    // answers for its change (its confirm job), it is not waited for: the
    // deadline is now, and the journal gives the change to this job. Held
    // by any other job, this one waits for it (a retry): that job refuses
    // a device in the middle of another's change (SyncJob::
    // refuse_unsettled_changes), but it may have read the device before
    // this job rolled it back, and two jobs must never change one device
    // at once.
    void lock_device() {
        try {
            ctx_.acquire_lock("device:" + a_.hostname, std::chrono::milliseconds(0));
        } catch (const LockBusy& e) {
            auto st = journal_->state(a_.change_id);
            for (auto holder : e.holders())
                if (holder != a_.sync_job_id && !(st && holder == st->job_id))
                    throw RetryableError("the device's lock is held by a job other than the sync or its confirm (" +
                                         std::string(e.what()) +
                                         "): trying again once it is free; should its attempts run out, a "
                                         "recovery job takes the change over and rolls it back");
            lock_note_ =
                " (its lock was held: " + std::string(e.what()) + "; the change journal gave the change to this job)";
        }
    }

    // The change was not this job's to take: who had it, and what became of it.
    void say_why_not_taken(TimerWork& w) {
        const std::string commit = "the commit of job " + std::to_string(a_.sync_job_id);
        auto st = journal_->state(a_.change_id);
        if (!st) {
            w.message =
                "nothing to roll back: change " + std::to_string(a_.change_id) + " is not in the journal any more";
            return;
        }
        const std::int64_t me = ctx_.job().id;
        if (st->confirm_timer_job_id == me) {
            // Still armed with this job, but not taken: the deadline is
            // still ahead (claimed a moment early), or the change is not
            // awaiting its confirm. Try again later; the engine backs off.
            throw RetryableError(commit + " on " + a_.hostname + " is still " +
                                 std::string(devices::to_string(st->phase)) +
                                 (st->deadline_passed ? "" : " and its deadline is ahead") + ": trying again later");
        }
        w.settled_by = st->job_id;
        const std::string by = "job " + std::to_string(st->job_id);
        switch (st->phase) {
            case ChangePhase::verified:
            case ChangePhase::committed:
                w.message = "nothing to roll back: " + commit + " was confirmed before its deadline (" + by + ")";
                break;
            case ChangePhase::completed:
                w.message = "nothing to roll back: " + by + " completed " + commit + " (a recovery)";
                break;
            case ChangePhase::restored:
                w.message = "nothing to roll back: " + by + " already rolled " + commit + " back";
                break;
            case ChangePhase::failed:
            case ChangePhase::unreachable:
                w.message = "nothing to do: " + by + " settled " + commit + " as " +
                            std::string(devices::to_string(st->phase)) + " (marked unsynchronized)";
                break;
            case ChangePhase::pushing:
            case ChangePhase::awaiting_confirm:
                w.message = "nothing to do: " + by + " answers for " + commit + " now (a recovery or a rollback " +
                            "of its own, which disarmed this timer) and settles it";
                break;
        }
    }

    void roll_back(std::size_t i, devices::DeviceContext& dc) {
        auto& w = work_[i];
        const std::string before = journal_->configs(a_.change_id).config_before;
        auto conn = connect(i, dc);
        // frr's unconfirmed change is undone by typing the old lines back;
        // its commit saves them (the change never was).
        auto brought = bring_to_config(
            conn.driver(), before, [this] { ctx_.fence(); }, "the rollback");
        w.running = std::move(brought.running);
        w.pushed = brought.pushed;
        journal_->advance(a_.change_id, ChangePhase::restored);
        w.restored = true;
        const std::string commit =
            "the commit of job " + std::to_string(a_.sync_job_id) + " was not confirmed by its deadline";
        w.message = w.pushed ? commit + ": rolled back to the config it ran before (verified)"
                             : commit + ": it already ran its config before (verified)";
        w.message += lock_note_;
    }

    // The device as this job left it: unsynchronized (its intended config
    // is not what it runs), its pending commit gone, its config recorded.
    void store(pqxx::connection& conn) {
        auto& w = work_[0];
        if (!w.restored) return;
        devices::PendingCommitStore(conn).remove({a_.hostname}, a_.sync_job_id);
        devices::DeviceStore(conn).update_sync_states(
            {{a_.hostname, false, devices::config_hash(w.running), "commit_confirm_failed"}}, ctx_.job().scheduled_by,
            ctx_.job().id);
        devices::ConfigHistory(conn).record({{a_.hostname, w.running, ctx_.job().id, w.pushed ? "pushed" : "read"}});
    }

    TimerArgs a_;
    std::unique_ptr<devices::ChangeJournal> journal_;
    std::string lock_note_;
};

json confirm_timer_arguments_schema() {
    return {{"type", "object"},
            {"required", {"hostname", "sync_job_id", "change_id"}},
            {"properties",
             {{"hostname", {{"type", "string"}}},
              {"sync_job_id", {{"type", "integer"}, {"description", "the live sync that committed on a timer"}}},
              {"change_id", {{"type", "integer"}, {"description", "its change journal entry for the device"}}}}}};
}

}  // namespace

LaterJob confirm_timer_job(std::int64_t sync_job_id, const std::string& hostname, std::int64_t change_id,
                           std::chrono::seconds timer) {
    return {.function_name = kConfirmTimerKind,
            .args = {{"hostname", hostname}, {"sync_job_id", sync_job_id}, {"change_id", change_id}},
            .delay = timer,
            .idempotency_key = "confirm-timer:" + std::to_string(sync_job_id) + ":" + hostname,
            .comment = "confirm timer of job " + std::to_string(sync_job_id) + " on " + hostname +
                       ": rolls its commit back unless it is confirmed first"};
}

RefusedConfirm refused_confirm(devices::ChangeJournal& journal, std::int64_t change_id, std::int64_t own_job_id) {
    auto st = journal.state(change_id);
    if (!st) return {false, "its change journal entry " + std::to_string(change_id) + " is gone"};
    if (st->job_id == own_job_id && devices::is_open(st->phase)) return {true, "its confirm deadline has passed"};
    const std::string by = "job " + std::to_string(st->job_id);
    if (st->confirm_timer_job_id == st->job_id)
        return {false, "the confirm timer job (" + by + ", " + kConfirmTimerKind +
                           ") took the change at its deadline and " +
                           (st->phase == devices::ChangePhase::restored ? "rolled it back" : "rolls it back")};
    return {false, by + " answers for the change now (phase " + std::string(devices::to_string(st->phase)) + ")"};
}

void register_confirm_timer_task(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add(
        {.function_name = kConfirmTimerKind,
         .run = [factory](JobContext& ctx) { ConfirmTimerJob(ctx, *device_environment(factory)).run(); },
         // Run again, it takes the change again (it is still its
         // timer's) and reads the device before it pushes anything.
         .retry_safe = true,
         .default_max_attempts = 8,
         .description = "the confirm timer of a device without one of its own (frr): scheduled by a live "
                        "sync with confirm_mode 1 or 2 at the confirm deadline before it commits, cancelled "
                        "(ABORTED) by the confirm; run at the deadline, it rolls the unconfirmed commit back",
         .arguments_schema = confirm_timer_arguments_schema(),
         .check_arguments = [](const json& args) { parse_timer_args(args); },
         .locks = {"device:<hostname>; not waited for when the sync or its confirm job holds it (the change journal "
                   "decides), retried when another job does"},
         .device_count = [](const json&) -> std::optional<std::size_t> { return 1; }});
}

}  // namespace switchyard::tasks
