#include "device_job.h"

#include "devices/defaults.h"
#include "locks/lock_store.h"

#include <numeric>
#include <stdexcept>

namespace switchyard::tasks {

using nlohmann::json;

void DeviceJob::run() {
    try {
        body();
    } catch (...) {
        // An exception ends the job; what was learnt of its devices stays.
        if (loaded_) {
            try {
                settle();
            } catch (const std::exception& e) {
                ctx_.log().warn("storing what the job holds of its devices failed: {}", e.what());
            }
            publish_result();
        }
        throw;
    }
    try {
        settle();
    } catch (...) {
        publish_result();
        throw;
    }
    publish_result();
}

void DeviceJob::load(const devices::DeviceSelector& selector) {
    auto conn = env_.connect();
    auto selection = devices::select_devices(*conn, selector);
    if (!selection.problem.empty()) throw std::runtime_error(selection.problem);
    load(std::move(selection.devices));
}

void DeviceJob::load(std::vector<devices::Device> devices) {
    for (auto& d : devices) add_device(std::move(d));
    loaded_ = true;
}

std::unique_ptr<devices::ChangeJournal> DeviceJob::open_journal() {
    auto journal = std::make_unique<devices::ChangeJournal>([this] { return env_.connect(); }, ctx_.job().id,
                                                            ctx_.job().attempt, devices::defaults::kJournalConnections);
    const std::string why = "the change it guards was settled by job " + std::to_string(ctx_.job().id) + " (" +
                            ctx_.job().function_name + ") before its deadline";
    journal->on_timer_disarmed(
        [this, why](pqxx::transaction_base& tx, std::int64_t timer_job) { ctx_.cancel_scheduled(tx, timer_job, why); });
    return journal;
}

void DeviceJob::lock_devices() {
    std::vector<std::string> names;
    names.reserve(device_count());
    for (std::size_t i = 0; i < device_count(); ++i) names.push_back(locks::device_lock_name(slot(i).device.hostname));
    ctx_.acquire_locks(names, env_.lock_wait());
}

SshAccess& DeviceJob::ssh() {
    if (!ssh_) ssh_ = env_.ssh_access();
    return *ssh_;
}

devices::DeviceConnection DeviceJob::connect(std::size_t i, devices::DeviceContext& dc) {
    const auto& device = slot(i).device;
    return devices::DeviceConnection(device, env_.credentials_for(device), ssh().options, dc.stop);
}

devices::DeviceConnection DeviceJob::connect(std::size_t i, const devices::Credentials& credentials,
                                             devices::DeviceContext& dc) {
    return devices::DeviceConnection(slot(i).device, credentials, ssh().options, dc.stop);
}

void DeviceJob::fan_out(const DevicePass& pass, const Step& step) {
    std::vector<std::size_t> all(device_count());
    std::iota(all.begin(), all.end(), std::size_t{0});
    fan_out(pass, step, all);
}

void DeviceJob::fan_out(const DevicePass& pass, const Step& step, const std::vector<std::size_t>& which) {
    const std::size_t total = pass.phase_total ? pass.phase_total : which.size();
    ssh();  // made before the threads start: they share it
    std::size_t done = pass.done_before;
    auto progress = [&] {
        json p = pass.progress;
        p.update({{"total", total}, {"done", done}, {"phase", pass.phase}});
        return p;
    };
    ctx_.report_progress(progress());
    devices::DeviceFanout pool(env_.fanout_options());
    pool.run(
        which.size(),
        [&](std::size_t k, devices::DeviceContext& dc) {
            auto& s = slot(which[k]);
            if (s.failed || s.skipped) return;
            if (pass.stop_on_abort && ctx_.abort_requested()) {
                s.skipped = true;
                s.message = "not started: the job was aborted";
                return;
            }
            ctx_.keep_locks_until(dc.deadline);
            step(which[k], dc);
        },
        [&](std::size_t k, const devices::DeviceOutcome& o) {
            auto& s = slot(which[k]);
            if (!o.ok) {
                s.failed = true;
                s.message = failure_message(o);
            }
            if (pass.final) {
                ctx_.device_finished(s.device.hostname);
                // A device past its deadline may still have a thread on it:
                // settle() sees it once the pool has waited for that thread.
                if (!o.timed_out) device_done(which[k]);
            } else if (!o.timed_out) {
                device_between_passes(which[k]);
            }
            ++done;
            ctx_.report_progress(progress());
        },
        ctx_.device_stop());
}

void DeviceJob::fan_out_some(const std::vector<std::size_t>& which, const Step& step,
                             const std::function<void(std::size_t, const std::string&)>& on_failure) {
    if (which.empty()) return;
    ssh();
    devices::DeviceFanout pool(env_.fanout_options());
    pool.run(
        which.size(),
        [&](std::size_t k, devices::DeviceContext& dc) {
            ctx_.keep_locks_until(dc.deadline);
            step(which[k], dc);
        },
        [&](std::size_t k, const devices::DeviceOutcome& o) {
            if (!o.ok) on_failure(which[k], failure_message(o));
        },
        ctx_.device_stop());
}

std::string DeviceJob::failure_message(const devices::DeviceOutcome& o) const {
    // Stopped by the lease guard: the device's own error reads as a timeout.
    if (ctx_.device_stop().stop_requested())
        return (o.started ? "stopped mid-change: " : "not started: ") + ctx_.abort_reason();
    return o.error.empty() ? "timed out" : o.error;
}

void DeviceJob::set_result_field(const std::string& key, json value) {
    if (key == "devices") throw std::logic_error("the devices of a result are the job's device entries");
    fields_[key] = std::move(value);
}

void DeviceJob::publish_result() {
    // Device by device: only one device's entry is a tree at a time (10,000
    // devices' entries as one tree were three times their text), and the
    // text is stored in parts as it grows (13 MB at 10,000 devices, and
    // twice more as the row that carried it and libpq's buffer).
    auto sink = ctx_.result_sink();
    devices::SafeJsonWriter doc(sink.get());
    doc.open("devices");
    for (std::size_t i = 0; i < device_count(); ++i) doc.add(slot(i).device.hostname, device_result(i));
    doc.close();
    for (auto& [key, value] : fields_.items()) doc.add(key, value);
    if (auto whole = std::move(doc).finish()) ctx_.set_result_text(std::move(*whole));
}

}  // namespace switchyard::tasks
