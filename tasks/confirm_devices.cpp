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
#include "devices/pending_commit_store.h"
#include "task_registry.h"

#include <optional>

namespace switchyard::tasks {
namespace {

using nlohmann::json;

struct DeviceConfirm {
    std::string hostname;
    std::optional<devices::Device> device;              // loaded before the fan-out
    std::optional<devices::StoredPendingCommit> stored;  // what the sync left pending
    bool failed = false;
    std::string message;
    bool settled = false;          // confirmed or rolled back: nothing pending any more
    std::string running;           // as read after the confirm
    std::optional<bool> in_sync;   // the device's new sync state, when known
};

class Confirm {
public:
    Confirm(JobContext& ctx, SyncEnvironment& env) : ctx_(ctx), env_(env) {
        const auto& args = ctx.args();
        if (!args.is_object() || !args.contains("hostnames") || !args["hostnames"].is_array() ||
            !args.contains("sync_job_id") || !args["sync_job_id"].is_number_integer())
            throw std::invalid_argument("confirm_devices needs arguments 'hostnames' (a list) and 'sync_job_id'");
        for (auto& h : args["hostnames"]) {
            work_.emplace_back();
            work_.back().hostname = h.get<std::string>();
        }
        sync_job_id_ = args["sync_job_id"];
    }

    void run() {
        // Nothing else may change these devices between commit and confirm.
        ctx_.acquire_lock("devices", env_.lock_wait());
        auto conn = env_.connect();
        load(*conn);
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
        store(*conn);
        result_["sync_job_id"] = sync_job_id_;
        ctx_.set_result(result_);
        int failed = 0;
        for (auto& w : work_) failed += w.failed;
        ctx_.set_change_score(failed ? 100 : 0);
    }

private:
    // Every device and its pending commit, on one connection, before any SSH.
    void load(pqxx::connection& conn) {
        devices::PendingCommitStore pending(conn);
        devices::DeviceStore devices(conn);
        for (auto& w : work_) {
            w.stored = pending.get(w.hostname, sync_job_id_);
            if (w.stored) w.device = devices.get(w.hostname);
        }
    }

    // What the fan-out learnt, in one transaction per table.
    void store(pqxx::connection& conn) {
        std::vector<devices::DeviceStore::SyncState> states;
        std::vector<std::string> settled;
        std::vector<devices::ConfigEntry> history;
        for (auto& w : work_) {
            if (w.in_sync) states.push_back({w.hostname, *w.in_sync, devices::config_hash(w.running)});
            if (w.settled) settled.push_back(w.hostname);
            if (w.in_sync.value_or(false)) history.push_back({w.hostname, w.running, ctx_.job().id, "read"});
        }
        devices::DeviceStore(conn).update_sync_states(states);
        devices::PendingCommitStore(conn).remove(settled, sync_job_id_);
        devices::ConfigHistory(conn).record(history);
    }

    void confirm(DeviceConfirm& w, devices::DeviceContext& dc) {
        if (!w.stored) {
            w.message = "nothing waits for confirmation from job " + std::to_string(sync_job_id_) +
                        " (confirmed by an earlier attempt, or replaced by a newer commit)";
            return;
        }
        if (!w.device) throw std::runtime_error("the device is not in the inventory any more");
        const auto& pending = w.stored->pending;
        auto creds = env_.credentials_for(*w.device);

        if (w.stored->time_left <= std::chrono::milliseconds(0)) {
            std::string late = "the confirm timer ran out before this job reached the device: ";
            if (pending.device_enforces_timer) {
                w.settled = true;
                throw std::runtime_error(late + "it has rolled back to its previous config by itself");
            }
            devices::DeviceConnection dev(*w.device, creds, ssh_, dc.stop);
            dev.driver().rollback(pending);
            w.settled = true;
            throw std::runtime_error(late + "rolled back to the previous config");
        }

        try {
            devices::DeviceConnection dev(*w.device, creds, ssh_, dc.stop);
            dev.driver().confirm(pending);
            w.running = dev.driver().running_config();
        } catch (const std::exception& e) {
            // Not a TransientError any more: the pool must not retry a confirm
            // half done, and the message must say what the device will do.
            throw std::runtime_error(
                std::string("could not confirm (") + e.what() + "): " +
                (pending.device_enforces_timer
                     ? "the device rolls back by itself when its timer runs out"
                     : "frr has no rollback timer; the change is applied but not saved (a reload restores the previous config)"));
        }
        w.settled = true;
        w.in_sync = devices::config_hash(w.running) == w.stored->intended_confhash;
        if (!*w.in_sync)
            throw std::runtime_error(
                "confirmed, but the device no longer runs the pushed config (it rolled back before the confirm "
                "reached it)");
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
