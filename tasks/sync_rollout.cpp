// sync_devices with a rollout (issue 12 item 7; rollout.h): phase 2 pushes
// batch by batch. Phase 1 is unchanged: every device was read, and the drift
// check passed, before the first batch. Batches are cut from the devices with
// a change to push, in hostname order; a device that failed phase 1 is not in
// any (it failed already; the budget counts push failures). After each batch
// the failures so far are counted: once over the budget, no further batch
// starts, the devices left are reported "not started" with the reason, and
// the job ends EXCEPTION saying so. Between batches the job pauses
// (pause_seconds) and, while suspended (PUT /job/<id> SUSPEND, or
// pause_after_first), waits for a resume, keeping its locks; an abort ends
// either at once.
#include "sync_job.h"

namespace switchyard::tasks {

using nlohmann::json;

namespace {

// A suspended rollout re-reads its state at least this often (a resume or
// an abort wakes it sooner).
constexpr std::chrono::seconds kSuspendedRecheck{60};

std::string devices_word(std::size_t n) { return std::to_string(n) + (n == 1 ? " device" : " devices"); }

}  // namespace

void SyncJob::push_in_batches() {
    const Rollout& r = *o_.rollout;
    std::vector<std::size_t> to_push;
    for (std::size_t i = 0; i < work_.size(); ++i) {
        const auto& w = work_[i];
        if (!w.failed && !w.skipped && w.changes) to_push.push_back(i);
        else ctx_.device_finished(w.device.hostname);  // in sync, or failed already: its outcome is final
    }
    // Progress counts every device of the job, as finished_devices does.
    const std::size_t finished_before = work_.size() - to_push.size();
    const auto sizes = batch_sizes(r, to_push.size());
    const std::size_t budget = failure_budget(r, to_push.size());
    std::size_t next = 0, failed = 0, reached = 0;
    std::string stopped;
    auto progress = [&](std::size_t batch, bool suspended) {
        return json{{"batch", batch}, {"batches", sizes.size()}, {"suspended", suspended}};
    };
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        if (k > 0) {
            json p = progress(k, ctx_.suspend_requested());
            p.update({{"total", work_.size()}, {"done", finished_before + next}});
            pause_between_batches(k, p);
        }
        if (ctx_.abort_requested()) {
            stopped = "the job was aborted";
            break;
        }
        std::vector<std::size_t> batch(to_push.begin() + static_cast<std::ptrdiff_t>(next),
                                       to_push.begin() + static_cast<std::ptrdiff_t>(next + sizes[k]));
        fan_out(
            {.phase = "pushing",
             .final = true,
             .stop_on_abort = true,
             .phase_total = work_.size(),
             .done_before = finished_before + next,
             .progress = progress(k + 1, false)},
            [this](std::size_t i, devices::DeviceContext& dc) { push(i, dc); }, batch);
        next += sizes[k];
        reached = k + 1;
        for (auto i : batch) failed += work_[i].failed ? 1 : 0;
        if (failed > budget && next < to_push.size()) {
            stopped = devices_word(failed) + " failed, over the failure budget (max_failed " +
                      to_json(r.max_failed).dump() + ": " + std::to_string(budget) + " of " +
                      devices_word(to_push.size()) + ")";
            break;
        }
    }
    std::size_t not_started = 0;
    for (std::size_t j = next; j < to_push.size(); ++j) {
        auto& w = work_[to_push[j]];
        ++not_started;
        w.skipped = true;
        w.message = "not started: the rollout stopped after batch " + std::to_string(reached) + " of " +
                    std::to_string(sizes.size()) + " (" + stopped + ")";
        ctx_.device_finished(w.device.hostname);
    }
    json batches = json::array();
    for (auto n : sizes) batches.push_back(n);
    set_result_field("rollout", {{"batches", batches},
                                 {"batch", reached},
                                 {"failed", failed},
                                 {"max_failed", budget},
                                 {"not_started", not_started},
                                 {"stopped", stopped.empty() ? json(nullptr) : json(stopped)}});
    finish();  // an abort ends the job here (ABORTED)
    throw_if_left_mid_change();
    if (!stopped.empty())
        throw std::runtime_error("rollout stopped after batch " + std::to_string(reached) + " of " +
                                 std::to_string(sizes.size()) + ": " + stopped + "; " + devices_word(not_started) +
                                 " not started");
}

void SyncJob::pause_between_batches(std::size_t after, json progress) {
    const Rollout& r = *o_.rollout;
    if (after == 1 && r.pause_after_first && !ctx_.suspend_requested()) ctx_.suspend_self();
    const auto until = std::chrono::steady_clock::now() + r.pause;
    for (;;) {
        if (ctx_.abort_requested()) return;
        const bool suspended = ctx_.suspend_requested();
        const auto now = std::chrono::steady_clock::now();
        if (!suspended && now >= until) return;
        progress["suspended"] = suspended;
        progress["phase"] = suspended ? "suspended" : "pausing";
        ctx_.report_progress(progress);
        ctx_.wait_for_request(suspended ? now + kSuspendedRecheck : until);
    }
}

}  // namespace switchyard::tasks
