// confirm_devices: confirms the commits a confirm_mode 2 sync left on a timer.
//
// The sync committed every device with a rollback timer and saved what each
// confirm needs (devices::PendingCommitStore); the engine inserted this job as
// its next_job_id. Per device, on a new connection: confirm, re-read, and
// check the device runs what was pushed (a device that rolled back before the
// confirm reached it is a failure, whatever the confirm command said). A timer
// that already ran out is not confirmed: eos and junos have rolled back by
// themselves, frr (no timer of its own) is rolled back here. An frr change
// is guarded by a confirm timer job (roll_back_unconfirmed.cpp): the
// confirm first claims the change in the journal, which disarms the timer
// and cancels its job; a claim refused because the timer job took the change
// at its deadline means no confirm, and the result names that job. A device
// this job cannot reach before the claim stays armed: its timer job rolls it
// back at the deadline. Arguments: {"hostnames": [...], "sync_job_id": N}.
#include "confirm_devices.h"

#include "device_job.h"
#include "device_job_catalog.h"
#include "devices/change_journal.h"
#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_store.h"
#include "devices/pending_commit_store.h"
#include "roll_back_unconfirmed.h"
#include "task_registry.h"

#include <map>
#include <optional>

namespace switchyard::tasks {
namespace {

using nlohmann::json;

struct ConfirmWork : DeviceSlot {
    std::optional<devices::StoredPendingCommit> stored;  // what the sync left pending
    bool settled = false;                                // confirmed or rolled back: nothing pending any more
    std::string running;                                 // as read after the confirm
    std::optional<bool> in_sync;                         // the device's new sync state, when known
    std::int64_t change = 0;                             // its change journal entry, adopted from the sync (0: none)
    bool left_to_timer = false;  // not claimed: its confirm timer job settles it (the entry stays open)
};

class ConfirmJob : public DeviceJobOf<ConfirmWork> {
public:
    ConfirmJob(JobContext& ctx, SyncEnvironment& env) : DeviceJobOf(ctx, env) {
        const auto& args = ctx.args();
        if (!args.is_object() || !args.contains("hostnames") || !args["hostnames"].is_array() ||
            !args.contains("sync_job_id") || !args["sync_job_id"].is_number_integer())
            throw std::invalid_argument("confirm_devices needs arguments 'hostnames' (a list) and 'sync_job_id'");
        for (auto& h : args["hostnames"]) selector_.hostnames.push_back(h.get<std::string>());
        sync_job_id_ = args["sync_job_id"];
    }

private:
    void body() override {
        set_result_field("sync_job_id", sync_job_id_);
        auto conn = env_.connect();
        load_pending(*conn);
        // Nothing else may change these devices between commit and confirm:
        // their locks were handed over from the sync (next_job_id); taken
        // again here as their holder, or for a confirm enqueued by hand.
        lock_devices();
        adopt_changes();
        // No abort check per device: a confirm left out is a rollback.
        fan_out({"confirming", true, false}, [this](std::size_t i, devices::DeviceContext& dc) { confirm(i, dc); });
        store(*conn);
        for (std::size_t i = 0; i < work_.size(); ++i)
            if (work_[i].failed && !work_[i].left_to_timer) journal(i, devices::ChangePhase::failed);
        int failed = 0;
        for (auto& w : work_) failed += w.failed;
        ctx_.set_change_score(failed ? 100 : 0);
    }

    json device_result(std::size_t i) const override {
        const auto& w = work_[i];
        json task = {{"task_name", "Confirm device config"}, {"result", w.message}, {"diff", ""}, {"failed", w.failed}};
        return {{"failed", w.failed}, {"job_tasks", json::array({task})}};
    }

    // Every device and its pending commit, on one connection, before any
    // SSH. A device gone from the inventory keeps its entry and fails.
    void load_pending(pqxx::connection& conn) {
        devices::PendingCommitStore pending(conn);
        devices::DeviceStore store(conn);
        std::vector<devices::Device> devices;
        std::vector<std::optional<devices::StoredPendingCommit>> stored;
        std::vector<bool> missing;
        for (auto& h : selector_.hostnames) {
            auto p = pending.get(h, sync_job_id_);
            auto d = p ? store.get(h) : std::nullopt;
            missing.push_back(p && !d);
            devices::Device placeholder;  // nothing to do on it: only its entry in the result
            placeholder.hostname = h;
            devices.push_back(d ? *d : placeholder);
            stored.push_back(std::move(p));
        }
        load(std::move(devices));
        for (std::size_t i = 0; i < work_.size(); ++i) {
            work_[i].stored = std::move(stored[i]);
            if (missing[i]) {
                work_[i].failed = true;
                work_[i].message = "the device is not in the inventory any more";
            }
        }
    }

    // This job answers for the changes the sync left awaiting confirmation
    // (and, run again, for those its own earlier attempt left open): should
    // it end abnormally, its recovery job repairs them.
    void adopt_changes() {
        journal_ = open_journal();
        std::map<std::string, std::int64_t> by_host;
        for (auto from : {sync_job_id_, ctx_.job().id})
            for (auto& e : journal_->adopt(from)) by_host[e.hostname] = e.id;
        for (auto& w : work_)
            if (auto it = by_host.find(w.device.hostname); it != by_host.end()) w.change = it->second;
    }

    void journal(std::size_t i, devices::ChangePhase phase) {
        if (work_[i].change) journal_->advance(work_[i].change, phase);
    }

    // What the fan-out learnt, in one transaction per table.
    void store(pqxx::connection& conn) {
        std::vector<devices::DeviceStore::SyncState> states;
        std::vector<std::string> settled;
        std::vector<devices::ConfigEntry> history;
        for (auto& w : work_) {
            const auto& host = w.device.hostname;
            if (w.in_sync) states.push_back({host, *w.in_sync, devices::config_hash(w.running)});
            if (w.settled) settled.push_back(host);
            if (w.in_sync.value_or(false)) history.push_back({host, w.running, ctx_.job().id, "read"});
        }
        devices::DeviceStore(conn).update_sync_states(states);
        devices::PendingCommitStore(conn).remove(settled, sync_job_id_);
        devices::ConfigHistory(conn).record(history);
    }

    void confirm(std::size_t i, devices::DeviceContext& dc) {
        auto& w = work_[i];
        if (!w.stored) {
            if (auto taken = taken_by_timer(w)) throw std::runtime_error("not confirmed: " + *taken);
            w.message = "nothing waits for confirmation from job " + std::to_string(sync_job_id_) +
                        " (confirmed by an earlier attempt, or replaced by a newer commit)";
            return;
        }
        if (!w.change) {
            // Not adopted: another job took the change from the sync (the
            // timer job at its deadline) and must be let be.
            if (auto taken = taken_by_timer(w)) throw std::runtime_error("not confirmed: " + *taken);
        }
        const auto& pending = w.stored->pending;
        auto creds = env_.credentials_for(w.device);

        if (w.stored->time_left <= std::chrono::milliseconds(0))
            roll_back_late(i, dc, "the confirm timer ran out before this job reached the device: ");

        ctx_.fence();
        auto dev = [&] {
            try {
                return connect(i, creds, dc);
            } catch (const std::exception& e) {
                throw not_confirmed(w, e.what());
            }
        }();
        ctx_.fence();
        if (w.change && !journal_->claim_confirm(w.change)) {
            auto refused = refused_confirm(*journal_, w.change, ctx_.job().id);
            if (refused.late) roll_back_late(i, dc, "not confirmed: " + refused.why + ": ");
            w.change = 0;  // the timer job's (or a recovery's) now: its pending commit too
            throw std::runtime_error("not confirmed: " + refused.why);
        }
        try {
            dev.driver().confirm(pending);
            w.running = dev.driver().running_config();
        } catch (const std::exception& e) {
            // Not a TransientError any more: the pool must not retry a confirm
            // half done, and the message must say what the device will do.
            throw std::runtime_error(std::string("could not confirm (") + e.what() + "): " +
                                     (pending.device_enforces_timer
                                          ? "the device rolls back by itself when its timer runs out"
                                          : "frr has no rollback timer; the change is applied but not saved (a reload "
                                            "restores the previous config)"));
        }
        w.settled = true;
        w.in_sync = devices::config_hash(w.running) == w.stored->intended_confhash;
        if (!*w.in_sync)
            throw std::runtime_error(
                "confirmed, but the device no longer runs the pushed config (it rolled back before the confirm "
                "reached it)");
        journal(i, devices::ChangePhase::verified);
        w.message = "confirmed";
    }

    // The device could not be reached before the confirm was claimed: what
    // happens to its commit.
    std::runtime_error not_confirmed(ConfirmWork& w, const std::string& error) {
        const auto& pending = w.stored->pending;
        std::string what = "could not confirm (" + error + "): ";
        if (pending.device_enforces_timer)
            return std::runtime_error(what + "the device rolls back by itself when its timer runs out");
        auto st = w.change ? journal_->state(w.change) : std::nullopt;
        if (st && st->confirm_timer_job_id) {
            w.left_to_timer = true;
            return std::runtime_error(what + "its confirm timer job (job " + std::to_string(*st->confirm_timer_job_id) +
                                      ", " + kConfirmTimerKind + ") rolls it back at the deadline");
        }
        return std::runtime_error(
            what +
            "frr has no rollback timer; the change is applied but not saved (a reload restores the previous config)");
    }

    // The confirm deadline passed with the change still this job's: it is
    // rolled back here (eos and junos did it themselves), its timer, if it
    // has one, disarmed first. Always throws: the device is not confirmed.
    [[noreturn]] void roll_back_late(std::size_t i, devices::DeviceContext& dc, const std::string& late) {
        auto& w = work_[i];
        const auto& pending = w.stored->pending;
        if (pending.device_enforces_timer) {
            w.settled = true;
            journal(i, devices::ChangePhase::restored);
            throw std::runtime_error(late + "it has rolled back to its previous config by itself");
        }
        if (w.change && !journal_->disarm(w.change)) {
            auto refused = refused_confirm(*journal_, w.change, ctx_.job().id);
            w.change = 0;
            throw std::runtime_error(late + refused.why);
        }
        auto dev = connect(i, env_.credentials_for(w.device), dc);
        ctx_.fence();
        dev.driver().rollback(pending);
        w.settled = true;
        journal(i, devices::ChangePhase::restored);
        throw std::runtime_error(late + "rolled back to the previous config");
    }

    // The change the sync made on this device, when its confirm timer job
    // took it: what the device result says instead of a confirm.
    std::optional<std::string> taken_by_timer(const ConfirmWork& w) {
        auto change = journal_->change_of_sync(sync_job_id_, w.device.hostname);
        if (!change) return std::nullopt;
        auto st = journal_->state(*change);
        if (!st || !st->confirm_timer_job_id || st->job_id != *st->confirm_timer_job_id) return std::nullopt;
        return refused_confirm(*journal_, *change, ctx_.job().id).why;
    }

    devices::DeviceSelector selector_;
    std::int64_t sync_job_id_ = 0;
    std::unique_ptr<devices::ChangeJournal> journal_;
};

}  // namespace

void register_confirm_task(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add({.function_name = "confirm_devices",
                  .run = [factory](JobContext& ctx) { ConfirmJob(ctx, *device_environment(factory)).run(); },
                  // Run again after a dead worker, it confirms what is still pending.
                  .retry_safe = true,
                  .default_max_attempts = 2,
                  .description = "confirms the commits of a confirm_mode 2 sync on each device (over a new connection)",
                  .arguments_schema = confirm_devices_arguments_schema(),
                  .locks = {"device:<hostname> of each device (handed over by the sync)"},
                  .device_count = named_device_count});
}

}  // namespace switchyard::tasks
