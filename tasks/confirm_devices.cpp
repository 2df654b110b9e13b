// confirm_devices: confirms the commits a confirm_mode 2 sync left on a timer.
//
// The sync committed every device with a rollback timer and saved what each
// confirm needs (devices::PendingCommitStore); the engine inserted this job as
// its next_job_id. Per device, on a new connection: confirm, re-read, and
// check the device runs what was pushed (a device that rolled back before the
// confirm reached it is a failure, whatever the confirm command said). A timer
// that already ran out is not confirmed: eos and junos have rolled back by
// themselves, frr (no timer of its own) is rolled back here. Arguments:
// {"hostnames": [...], "sync_job_id": N}.
#include "confirm_devices.h"

#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_connection.h"
#include "devices/device_store.h"
#include "devices/normalize.h"
#include "devices/pending_commit_store.h"
#include "task_registry.h"

namespace switchyard::tasks {
namespace {

using nlohmann::json;

struct DeviceConfirm {
    std::string hostname;
    bool failed = false;
    std::string message;
    std::string confirmed_config;  // as read after the confirm, for the config history
};

class Confirm {
public:
    Confirm(JobContext& ctx, SyncEnvironment& env) : ctx_(ctx), env_(env) {
        const auto& args = ctx.args();
        if (!args.is_object() || !args.contains("hostnames") || !args["hostnames"].is_array() ||
            !args.contains("sync_job_id") || !args["sync_job_id"].is_number_integer())
            throw std::invalid_argument("confirm_devices needs arguments 'hostnames' (a list) and 'sync_job_id'");
        for (auto& h : args["hostnames"]) work_.push_back({h.get<std::string>(), false, "", ""});
        sync_job_id_ = args["sync_job_id"];
    }

    void run() {
        // Nothing else may change these devices between commit and confirm.
        ctx_.acquire_lock("devices", env_.lock_wait());
        ssh_ = env_.ssh_options(keep_);
        std::vector<std::string> names;
        for (auto& w : work_) names.push_back(w.hostname);
        std::size_t done = 0;
        ctx_.report_progress({{"total", work_.size()}, {"done", 0}, {"phase", "confirming"}});
        // No abort check per device: a confirm left out is a rollback.
        devices::FanoutPool pool(env_.fanout_options());
        pool.run(
            names, [&](std::size_t i, devices::DeviceContext& dc) { confirm(work_[i], dc); },
            [&](std::size_t i, const devices::DeviceOutcome& o) {
                auto& w = work_[i];
                if (!o.ok) {
                    w.failed = true;
                    w.message = o.error.empty() ? "timed out" : o.error;
                }
                record(w);
                ctx_.device_finished(w.hostname);
                ctx_.report_progress({{"total", work_.size()}, {"done", ++done}});
            });
        std::vector<devices::ConfigEntry> history;
        for (auto& w : work_)
            if (!w.confirmed_config.empty()) history.push_back({w.hostname, w.confirmed_config, ctx_.job().id, "read"});
        auto conn = env_.connect();
        devices::ConfigHistory(*conn).record(history);
        result_["sync_job_id"] = sync_job_id_;
        ctx_.set_result(result_);
        int failed = 0;
        for (auto& w : work_) failed += w.failed;
        ctx_.set_change_score(failed ? 100 : 0);
    }

private:
    void confirm(DeviceConfirm& w, devices::DeviceContext& dc) {
        auto conn = env_.connect();
        devices::PendingCommitStore pending_store(*conn);
        devices::DeviceStore device_store(*conn);
        auto stored = pending_store.get(w.hostname, sync_job_id_);
        if (!stored) {
            w.message = "nothing waits for confirmation from job " + std::to_string(sync_job_id_) +
                        " (confirmed by an earlier attempt, or replaced by a newer commit)";
            return;
        }
        auto device = device_store.get(w.hostname);
        if (!device) throw std::runtime_error("the device is not in the inventory any more");
        const auto& pending = stored->pending;
        auto creds = env_.credentials_for(*device);

        if (stored->time_left <= std::chrono::milliseconds(0)) {
            std::string late = "the confirm timer ran out before this job reached the device: ";
            if (pending.device_enforces_timer) {
                pending_store.remove(w.hostname, sync_job_id_);
                throw std::runtime_error(late + "it has rolled back to its previous config by itself");
            }
            devices::DeviceConnection dev(*device, creds, ssh_, dc.stop);
            dev.driver().rollback(pending);
            pending_store.remove(w.hostname, sync_job_id_);
            throw std::runtime_error(late + "rolled back to the previous config");
        }

        std::string running;
        try {
            devices::DeviceConnection dev(*device, creds, ssh_, dc.stop);
            dev.driver().confirm(pending);
            running = dev.driver().running_config();
        } catch (const std::exception& e) {
            // Not a TransientError any more: the pool must not retry a confirm
            // half done, and the message must say what the device will do.
            throw std::runtime_error(
                std::string("could not confirm (") + e.what() + "): " +
                (pending.device_enforces_timer
                     ? "the device rolls back by itself when its timer runs out"
                     : "frr has no rollback timer; the change is applied but not saved (a reload restores the previous config)"));
        }
        auto hash = devices::config_hash(devices::normalize_config(running));
        if (hash != stored->intended_confhash) {
            device_store.update_sync_state(w.hostname, false, hash);
            pending_store.remove(w.hostname, sync_job_id_);
            throw std::runtime_error(
                "confirmed, but the device no longer runs the pushed config (it rolled back before the confirm "
                "reached it)");
        }
        device_store.update_sync_state(w.hostname, true, hash);
        pending_store.remove(w.hostname, sync_job_id_);
        w.confirmed_config = running;
        w.message = "confirmed";
    }

    void record(const DeviceConfirm& w) {
        json task = {{"task_name", "Confirm device config"}, {"result", w.message}, {"diff", ""}, {"failed", w.failed}};
        result_["devices"][w.hostname] = {{"failed", w.failed}, {"job_tasks", json::array({task})}};
    }

    JobContext& ctx_;
    SyncEnvironment& env_;
    std::vector<DeviceConfirm> work_;
    std::int64_t sync_job_id_ = 0;
    json result_ = {{"devices", json::object()}};
    std::shared_ptr<void> keep_;
    devices::SshOptions ssh_;
};

}  // namespace

void register_confirm_task(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add({.function_name = "confirm_devices",
                  .run =
                      [factory](JobContext& ctx) {
                          auto env = factory();
                          if (!env) throw std::runtime_error("device sync is not configured in this process");
                          Confirm(ctx, *env).run();
                      },
                  // Run again after a dead worker, it confirms what is still pending.
                  .retry_safe = true,
                  .default_max_attempts = 2});
}

}  // namespace switchyard::tasks
