// What every job over devices shares (sync_devices, confirm_devices, and the
// jobs built on them): loading its devices, locking them, the fan-out with its
// progress and finished_devices, and the result document, which is written
// from here only:
//   {"devices": {host: <the job's own entry for the device>}, <job fields>...}
// A job derives from DeviceJobOf<Work>, where Work is its per-device state
// (deriving from DeviceSlot), and calls these steps from its run().
#pragma once

#include "devices/change_journal.h"
#include "devices/device_connection.h"
#include "devices/device_fanout.h"
#include "devices/device_selector.h"
#include "job_context.h"
#include "sync_environment.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchyard::tasks {

// What every device job knows of one of its devices.
struct DeviceSlot {
    devices::Device device;
    bool failed = false;
    bool skipped = false;  // not started: the job was aborted
    std::string message;   // what happened, for an operator
};

// One pass of the fan-out over the job's devices.
struct DevicePass {
    std::string phase;          // shown in the job's progress ("reading", "pushing", ...)
    bool final = false;         // a device's outcome is final once this pass is done with it (finished_devices)
    bool stop_on_abort = true;  // an abort starts no further device (false: a confirm must not be left out)
    // A pass over part of a phase (a rollout's batch): the phase's devices
    // (0: this pass's) and those done in its earlier passes, so that progress
    // counts the whole phase; `progress` adds fields ({"batch": 2, ...}).
    std::size_t phase_total = 0;
    std::size_t done_before = 0;
    nlohmann::json progress = nlohmann::json::object();
};

class DeviceJob {
public:
    virtual ~DeviceJob() = default;
    DeviceJob(const DeviceJob&) = delete;
    DeviceJob& operator=(const DeviceJob&) = delete;

    // Runs the job; whatever way it ends once its devices are loaded, the
    // result document is written.
    void run();

protected:
    DeviceJob(JobContext& ctx, SyncEnvironment& env) : ctx_(ctx), env_(env) {}

    virtual void body() = 0;
    virtual std::size_t device_count() const = 0;
    virtual DeviceSlot& slot(std::size_t i) = 0;
    virtual const DeviceSlot& slot(std::size_t i) const = 0;
    // The job's result entry for device i ({"failed", "job_tasks", ...}).
    virtual nlohmann::json device_result(std::size_t i) const = 0;
    // Makes a work entry per loaded device.
    virtual void add_device(devices::Device device) = 0;
    // Device i's last pass (DevicePass::final) is done with it, and no
    // thread of the fan-out still works on it. On the job's own thread.
    virtual void device_done(std::size_t /*i*/) {}
    // Device i is done with a pass that is not its last (and no thread of
    // the fan-out still works on it): what it holds until its next pass may
    // be put aside. On the job's own thread.
    virtual void device_between_passes(std::size_t /*i*/) {}
    // Called once when the job ends, however it ends, before its result is
    // written: what the job still holds of its devices is stored.
    virtual void settle() {}

    // The devices `selector` selects, in hostname order; throws
    // std::runtime_error saying why when a named device is missing or the
    // selection is empty.
    void load(const devices::DeviceSelector& selector);
    void load(std::vector<devices::Device> devices);
    // Locks each loaded device ("device:<hostname>"), all or nothing, waiting
    // at most the sync lock wait; throws LockBusy naming each held device (or
    // the global `devices` lock, which excludes them) and its job. Disjoint
    // live syncs run at once; overlapping ones wait. A follow-up job handed
    // these locks (confirm_devices) takes them again as their holder.
    void lock_devices();

    // Runs step(i, dc) for every device not failed or skipped, in parallel
    // (ssh.concurrency, each under the device deadline). A device whose step
    // throws or passes its deadline is failed with the reason. Until a
    // started device's deadline, a timed-out job keeps its locks. A step
    // calls ctx_.fence() before each change it makes to its device. Both
    // fan-outs stop on ctx_.device_stop() (the lease guard): no device is
    // started and running ones have their stop token fired.
    using Step = std::function<void(std::size_t i, devices::DeviceContext& dc)>;
    void fan_out(const DevicePass& pass, const Step& step);
    // The same over the given devices only (a rollout's batch).
    void fan_out(const DevicePass& pass, const Step& step, const std::vector<std::size_t>& which);
    // Runs step(i, dc) for the given devices only (their own fan-out); a
    // failure is reported to on_failure, the device is not marked failed.
    void fan_out_some(const std::vector<std::size_t>& which, const Step& step,
                      const std::function<void(std::size_t i, const std::string& error)>& on_failure);

    // The change journal as this attempt (devices/change_journal.h), on a
    // connection of its own; a confirm timer it disarms has its job
    // cancelled in the same transaction.
    std::unique_ptr<devices::ChangeJournal> open_journal();

    // A session with device i, under the fan-out's stop token.
    devices::DeviceConnection connect(std::size_t i, devices::DeviceContext& dc);
    devices::DeviceConnection connect(std::size_t i, const devices::Credentials& credentials,
                                      devices::DeviceContext& dc);

    // A top-level field of the result document beside "devices".
    void set_result_field(const std::string& key, nlohmann::json value);
    // Writes the result document now (also done when run() ends).
    void publish_result();

    JobContext& ctx_;
    SyncEnvironment& env_;

private:
    SshAccess& ssh();
    // What a failed device's outcome says; stopped by device_stop(), why.
    std::string failure_message(const devices::DeviceOutcome& o) const;

    std::optional<SshAccess> ssh_;
    nlohmann::json fields_ = nlohmann::json::object();
    bool loaded_ = false;
};

// The typed per-device state of a job: work_[i] is device i.
template <typename Work>
class DeviceJobOf : public DeviceJob {
protected:
    using DeviceJob::DeviceJob;
    std::size_t device_count() const override { return work_.size(); }
    DeviceSlot& slot(std::size_t i) override { return work_[i]; }
    const DeviceSlot& slot(std::size_t i) const override { return work_[i]; }
    void add_device(devices::Device device) override {
        Work w;
        w.device = std::move(device);
        work_.push_back(std::move(w));
    }

    std::vector<Work> work_;
};

}  // namespace switchyard::tasks
