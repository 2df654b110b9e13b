// sync_devices: what a device that failed mid-change is left running.
//
// A live sync whose device fails after its change journal entry opened may
// have left it anywhere between its old config and the intended one: a
// connection cut while frr typed its lines, a commit whose answer never came,
// a commit that did not stick. The job itself may still end FINISHED (the
// other devices are fine), and the engine schedules recover_devices only for
// jobs that end abnormally; so the job settles such a device before it ends:
// it reads it again on a new session and, unless it already runs its config
// before the change, pushes that config back and verifies it. A device that
// cannot be settled (unreachable, the push back refused, the worker's lease
// failing) keeps its entry open and the job ends EXCEPTION naming it, so that
// the recovery job, which retries, takes it over with the job's locks;
// unless a confirm job is already scheduled for the others (confirm_mode 2),
// which an EXCEPTION would cancel: then it closes failed, for an operator.
#include "bring_to_config.h"
#include "sync_job.h"

#include <utility>

namespace switchyard::tasks {

namespace {

using devices::ChangePhase;

// Open, and not a commit the device's own timer undoes (eos, junos: a new
// commit while their timer runs would race it; they roll back by themselves).
bool left_mid_change(const SyncWork& w) {
    if (!w.failed || !w.change || !devices::is_open(w.change_phase)) return false;
    return !(w.change_phase == ChangePhase::awaiting_confirm && w.timer_on_device);
}

}  // namespace

void SyncJob::settle_failed_changes() {
    if (!journal_) return;
    std::vector<std::size_t> settle;
    for (std::size_t i = 0; i < work_.size(); ++i) {
        if (left_mid_change(work_[i])) settle.push_back(i);
        else if (work_[i].failed) journal(i, ChangePhase::failed);
    }
    fan_out_some(
        settle, [this](std::size_t i, devices::DeviceContext& dc) { restore_failed(i, dc); },
        [this](std::size_t i, const std::string& error) {
            auto& w = work_[i];
            w.message += "; it may be left mid-change: putting its previous config back failed (" + error + ")";
            if (handed_over_) {
                // Ending EXCEPTION now would drop the confirm job the other
                // devices wait for (confirm_mode 2): this one is left to an
                // operator, marked unsynchronized.
                journal(i, ChangePhase::failed);
                w.message += "; marked unsynchronized and left for an operator (the others' confirm job is scheduled)";
                return;
            }
            w.message += "; a recovery job takes it over";
            left_mid_change_ += (left_mid_change_.empty() ? "" : ", ") + w.device.hostname;
        });
}

void SyncJob::restore_failed(std::size_t i, devices::DeviceContext& dc) {
    auto& w = work_[i];
    const std::string& before = std::as_const(w).read();  // what the journal entry opened with
    // Kept by device_done for exactly this; were it gone, pushing "" back
    // would wipe the device. The recovery job reads it from the journal.
    if (before.empty()) throw std::runtime_error("its config before the change is not held by this job; not touched");
    auto conn = connect(i, dc);
    // A commit on a confirm timer (frr): the timer job must not roll it
    // back at the same time; one that took it already does it instead.
    std::string taken;
    if (!take_back_from_timer(i, taken)) {
        w.pending.reset();
        w.message += "; " + taken;
        return;
    }
    // frr's commit on a timer is undone by typing the old lines back, which
    // is what a push of the config before does.
    auto [running, pushed] = bring_to_config(
        conn.driver(), before, [this] { ctx_.fence(); }, "the push back");
    journal(i, ChangePhase::restored);
    w.pending.reset();
    w.running() = std::move(running);
    w.message +=
        pushed ? "; its previous config was put back (verified)" : "; it still runs its previous config (verified)";
}

void SyncJob::throw_if_left_mid_change() const {
    if (left_mid_change_.empty()) return;
    throw std::runtime_error("devices left mid-change, not restored: " + left_mid_change_ +
                             "; a recovery job (recover_devices) takes them over");
}

}  // namespace switchyard::tasks
