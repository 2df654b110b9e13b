// sync_devices, phase 2: push, commit and confirm. confirm_mode 0 commits;
// 1 commits with a timer, confirmed once the device answers on a new
// connection; 2 commits with a timer and leaves the confirm to the
// confirm_devices job that follows. A device without a timer of its own
// (frr) gets a durable one: a roll_back_unconfirmed job at the deadline
// (roll_back_unconfirmed.cpp), armed on its change journal entry once the
// commit is applied (the deadline runs from there, as a device's own timer
// runs from its commit) and cancelled by the confirm.
#include "devices/config_compare.h"
#include "devices/config_diff.h"
#include "devices/pending_commit_store.h"
#include "roll_back_unconfirmed.h"
#include "sync_job.h"

#include <thread>

namespace switchyard::tasks {

using namespace std::chrono_literals;

void SyncJob::push(std::size_t i, devices::DeviceContext& dc) {
    auto& w = work_[i];
    if (!w.changes) return;
    texts_->unpark(w);
    bool forced_over_change = false;
    auto creds = env_.credentials_for(w.device);
    auto conn = connect(i, creds, dc);
    // What the device runs now, on the push's own session: the push starts
    // from it (load_candidate does not read it again) and the journal keeps
    // it as the config before. The drift check saw the read phase's config
    // only, and a rollout's pause or suspend may have lasted hours since: a
    // device changed meanwhile is not pushed, unless `force`.
    std::string now = conn.driver().running_config();
    if (auto hash = devices::ConfigHash::of(now); hash != w.read_hash) {
        if (!o_.force)
            throw std::runtime_error(
                "changed since this job read it (outside Switchyard?): not pushed; review it, then sync again "
                "(force overwrites)");
        forced_over_change = true;
        w.read() = now;
        w.read_hash = std::move(hash);
        // The change about to be overwritten stays in its config history
        // (its first read was recorded when it was parked).
        texts_->add_read(w.device.hostname, now);
    }
    w.running() = now;
    ctx_.fence();
    // Durable before the device is touched: a crash from here on leaves a
    // record of what the device ran and what it was getting.
    w.change = journal_->open(w.device.hostname, w.running(), w.intended());
    conn.driver().load_candidate(w.intended(), std::move(now));
    // Loading a long change takes a while (about a minute for 1,500 lines
    // on frr): prove ownership again right before the commit.
    ctx_.fence();
    if (o_.confirm_mode == devices::ConfirmMode::commit) {
        conn.driver().commit();
        journal(i, devices::ChangePhase::committed);
        w.running() = conn.driver().running_config();
        w.message = "committed";
    } else if (o_.confirm_mode == devices::ConfirmMode::confirm_on_reconnect) {
        auto pending = conn.driver().commit_confirmed(env_.confirm_timer());
        w.timer_on_device = pending.device_enforces_timer;
        await_confirm(i, conn.driver());
        confirm_on_new_connection(i, conn, pending, creds, dc);
        // Its entry says committed already: the claim before the confirm
        // moved it there (one write less per device).
        if (w.change && devices::is_open(w.change_phase)) w.change_phase = devices::ChangePhase::committed;
        w.message = "committed and confirmed (verified after the confirm)";
    } else {
        auto pending = conn.driver().commit_confirmed(env_.confirm_timer());
        w.timer_on_device = pending.device_enforces_timer;
        await_confirm(i, conn.driver());
        w.pending = std::make_unique<devices::PendingCommit>(pending);
        w.running() = conn.driver().running_config();
        w.message = "committed with a " + std::to_string(pending.timer.count()) +
                    " s confirm timer; the confirm_devices job (next_job_id) confirms it";
        if (w.timer_job)
            w.message += " (else job " + std::to_string(w.timer_job) + ", " + kConfirmTimerKind +
                         ", rolls it back at the deadline)";
    }
    if (!devices::config_matches(w.device.platform, w.running(), w.intended()))
        throw std::runtime_error(
            "the commit did not stick: the device's config still differs after the commit (" +
            devices::describe(devices::config_mismatch(w.device.platform, w.running(), w.intended())) + ")");
    // confirm_mode 2: open until confirm_devices, which adopts the entry.
    if (!w.pending) journal(i, devices::ChangePhase::verified);
    w.message += hidden_secrets_note(devices::hidden_secrets(w.device.platform, w.running()));
    if (forced_over_change)
        w.message +=
            "; it had changed since this job read it and was overwritten (force): the diff shown is against "
            "the config first read";
}

void SyncJob::journal(std::size_t i, devices::ChangePhase phase) {
    auto& w = work_[i];
    if (!w.change) return;
    journal_->advance(w.change, phase);
    if (devices::is_open(w.change_phase)) w.change_phase = phase;
}

// The commit is applied on a timer: the change waits for its confirm. A
// device without a timer of its own (frr) gets its roll_back_unconfirmed
// job now, in the same transaction, due a full timer after the apply: with
// a deadline set before it, a long apply (a minute for 1,500 lines) would
// eat the confirm window and every such change would be rolled back.
void SyncJob::await_confirm(std::size_t i, const devices::Driver& driver) {
    auto& w = work_[i];
    if (driver.enforces_confirm_timer() || !w.change) {
        journal(i, devices::ChangePhase::awaiting_confirm);
        return;
    }
    const auto timer = env_.confirm_timer();
    std::int64_t job = 0;
    bool armed = journal_->await_confirm_armed(w.change, timer, [&](pqxx::transaction_base& tx) {
        job = ctx_.enqueue_in(tx, confirm_timer_job(ctx_.job().id, w.device.hostname, w.change, timer));
        return job;
    });
    if (!armed)
        throw std::runtime_error(
            "committed without a confirm, but this attempt no longer answers for the device's change (its journal "
            "entry was adopted by another job, which settles it)");
    if (devices::is_open(w.change_phase)) w.change_phase = devices::ChangePhase::awaiting_confirm;
    w.timer_job = job;
}

bool SyncJob::take_back_from_timer(std::size_t i, std::string& why) {
    auto& w = work_[i];
    if (!w.change || journal_->disarm(w.change)) return true;
    why = refused_confirm(*journal_, w.change, ctx_.job().id).why;
    w.change = 0;
    return false;
}

// confirm_mode 1: confirm only once the device answers on a new
// connection, then read it again: what it runs after the confirm is what
// is verified. The confirm first claims the change in the journal, which
// disarms a confirm timer (frr) and cancels its job; a claim refused means
// the timer job took the change at its deadline: no confirm then. A change
// that cut us off is left to roll back: by the device's own timer (eos,
// junos), or by us over the session we still hold (frr has no timer).
void SyncJob::confirm_on_new_connection(std::size_t i, devices::DeviceConnection& first,
                                        const devices::PendingCommit& pending, const devices::Credentials& creds,
                                        devices::DeviceContext& dc) {
    auto& w = work_[i];
    // A device busy applying the change may refuse for a moment: retry
    // briefly, well inside the confirm window.
    const auto give_up = std::chrono::steady_clock::now() + pending.timer / 3;
    std::string why;
    bool claimed = false;
    std::optional<RefusedConfirm> refused;
    ctx_.fence();
    for (int attempt = 1;; ++attempt) {
        try {
            auto again = connect(i, creds, dc);
            if (!claimed) {
                ctx_.fence();
                claimed = !w.change || journal_->claim_confirm(w.change);
                if (!claimed) refused = refused_confirm(*journal_, w.change, ctx_.job().id);
            }
            if (claimed) {
                // The entry says committed from here; w.change_phase stays
                // awaiting_confirm until the confirm went through, so that a
                // device whose own timer runs (eos, junos) is left to it.
                again.driver().confirm(pending);
                w.running() = again.driver().running_config();
                return;
            }
        } catch (const std::exception& e) {
            why = e.what();
        }
        if (refused) break;
        if (attempt >= 3 || dc.stop.stop_requested() || std::chrono::steady_clock::now() + 500ms >= give_up) break;
        std::this_thread::sleep_for(500ms);
    }
    if (refused && !refused->late) {
        w.change = 0;  // the timer job's now
        throw std::runtime_error("not confirmed: " + refused->why);
    }
    std::string what =
        refused   ? "not confirmed: " + refused->why + ": "
        : claimed ? "the confirm failed on a new connection (" + why + "): "
                  : "the device did not answer on a new connection after the commit (" + why + "); not confirmed: ";
    if (pending.device_enforces_timer)
        throw std::runtime_error(what + "it rolls back by itself when its " + std::to_string(pending.timer.count()) +
                                 " s timer runs out");
    std::string taken;
    if (!claimed && !take_back_from_timer(i, taken)) throw std::runtime_error(what + "not rolled back here: " + taken);
    try {
        first.driver().rollback(pending);
        journal(i, devices::ChangePhase::restored);
    } catch (const std::exception& e) {
        throw std::runtime_error(what + "rolling back over the first session failed too (" + e.what() +
                                 "); the change is applied but not saved, a reload restores the previous config");
    }
    throw std::runtime_error(what + "rolled back to the previous config over the first session");
}

// confirm_mode 2: every committed device waits for the confirm_devices
// job, which the engine inserts when this job ends FINISHED. Its pending
// commit goes to the database so whichever process runs that job finds it.
void SyncJob::hand_over_to_confirm() {
    if (ctx_.abort_requested()) {
        roll_back_unconfirmed();
        return;
    }
    std::vector<std::string> hostnames;
    std::vector<devices::PendingCommitStore::Saved> commits;
    for (auto& w : work_) {
        if (!w.pending || w.failed) continue;
        commits.push_back({w.device.hostname, *w.pending, w.running_hash.hex()});
        hostnames.push_back(w.device.hostname);
    }
    auto conn = env_.connect();
    devices::PendingCommitStore(*conn).save(commits, ctx_.job().id);
    if (hostnames.empty()) return;
    ctx_.schedule_next("confirm_devices", {{"hostnames", hostnames}, {"sync_job_id", ctx_.job().id}});
    set_result_field("confirm_devices", hostnames);
    // From here an abort comes too late: this job ends FINISHED so that
    // its confirm job runs (the engine inserts it only then).
    handed_over_ = true;
}

// An aborted confirm_mode 2 sync has no confirm job coming: devices with
// a timer of their own roll back when it runs out; frr ones we roll back.
void SyncJob::roll_back_unconfirmed() {
    std::vector<std::size_t> own;
    for (std::size_t i = 0; i < work_.size(); ++i) {
        auto& w = work_[i];
        if (!w.pending) continue;
        if (w.pending->device_enforces_timer) {
            w.message = "committed, not confirmed (the job was aborted): the device rolls back when its " +
                        std::to_string(w.pending->timer.count()) + " s timer runs out";
        } else {
            own.push_back(i);
            w.message = "committed, then rolled back because the job was aborted";
        }
    }
    fan_out_some(
        own, [&](std::size_t i, devices::DeviceContext& dc) { roll_back_pending(i, dc); },
        [&](std::size_t i, const std::string& error) {
            auto& w = work_[i];
            w.message = "committed, not confirmed (the job was aborted); rolling back failed (" + error +
                        "): the change is applied but not saved";
            w.failed = true;
        });
    for (auto& w : work_) w.pending.reset();
}

void SyncJob::roll_back_pending(std::size_t i, devices::DeviceContext& dc) {
    auto& w = work_[i];
    auto conn = connect(i, dc);
    ctx_.fence();
    std::string taken;
    if (!take_back_from_timer(i, taken)) throw std::runtime_error("not rolled back by this job: " + taken);
    conn.driver().rollback(*w.pending);
    journal(i, devices::ChangePhase::restored);
    auto now = conn.driver().running_config();
    w.running_hash = devices::ConfigHash::of(now);
    // Its texts went when its push was done (unless it outlived its deadline).
    if (w.texts_taken) texts_->add_read(w.device.hostname, std::move(now));
    else w.running() = std::move(now);
}

}  // namespace switchyard::tasks
