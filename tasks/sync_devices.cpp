// sync_devices: bring devices in line with their generated config.
//
// Phase 1, every device in parallel: generate the intended config, read the
// running config, diff. Nothing is changed until every device has been read,
// so a device changed outside Switchyard (its running config no longer has
// the hash stored at its last sync) stops a live run before it touches any
// device, unless `force`. Phase 2 (live runs): push, commit (confirm mode 0:
// plain commit; 1: commit with a timer, confirmed once the device answers on a
// new connection), re-read, and check the device now matches. One device
// failing never stops the others. An abort starts no new device; devices
// mid-commit finish.
#include "change_score.h"
#include "devices/config_compare.h"
#include "devices/config_diff.h"
#include "devices/device_connection.h"
#include "devices/device_store.h"
#include "devices/normalize.h"
#include "sync_environment.h"
#include "sync_result.h"
#include "task_registry.h"


namespace switchyard::tasks {
namespace {

using nlohmann::json;
using devices::Device;

struct Options {
    std::vector<std::string> hostnames;
    bool dry_run = true;
    bool force = false;
    int confirm_mode = 0;
};

Options parse_options(const json& args, bool dry_run_kind) {
    if (!args.is_object() || !args.contains("hostnames") || !args["hostnames"].is_array())
        throw std::invalid_argument("sync_devices needs argument 'hostnames' (a list)");
    Options o;
    for (auto& h : args["hostnames"]) o.hostnames.push_back(h.get<std::string>());
    o.dry_run = dry_run_kind || args.value("dry_run", true);
    o.force = args.value("force", false);
    o.confirm_mode = args.value("confirm_mode", 0);
    if (o.confirm_mode != 0 && o.confirm_mode != 1)
        throw std::invalid_argument("confirm_mode " + std::to_string(o.confirm_mode) + " is not supported (0 or 1)");
    return o;
}

struct DeviceWork {
    Device device;
    std::string intended, running, diff;
    bool changes = false;
    DeviceSyncOutcome outcome;
};

class Sync {
public:
    Sync(JobContext& ctx, SyncEnvironment& env, Options options) : ctx_(ctx), env_(env), o_(std::move(options)) {}

    void run() {
        if (!o_.dry_run) ctx_.acquire_lock("devices", env_.lock_wait());
        load_devices();
        ssh_ = env_.ssh_options(keep_);
        ctx_.report_progress({{"total", work_.size()}, {"done", 0}, {"phase", "reading"}});
        for_each_device([this](DeviceWork& w, devices::DeviceContext& dc) { read_and_diff(w, dc); }, o_.dry_run);

        if (!o_.dry_run && !o_.force) refuse_drift();
        if (!o_.dry_run && !ctx_.abort_requested()) {
            ctx_.report_progress({{"total", work_.size()}, {"done", 0}, {"phase", "pushing"}});
            for_each_device([this](DeviceWork& w, devices::DeviceContext& dc) { push(w, dc); }, true);
        }
        finish();
    }

private:
    void load_devices() {
        auto conn = env_.connect();
        devices::DeviceStore store(*conn);
        for (auto& h : o_.hostnames) {
            auto d = store.get(h);
            if (!d) throw std::invalid_argument("device " + h + " is not in the inventory any more");
            work_.push_back({*d, "", "", "", false, {}});
        }
    }

    template <typename Step>
    void for_each_device(Step step, bool report_done) {
        std::vector<std::string> names;
        for (auto& w : work_) names.push_back(w.device.hostname);
        std::size_t done = 0;
        devices::FanoutPool pool(env_.fanout_options());
        pool.run(
            names,
            [&](std::size_t i, devices::DeviceContext& dc) {
                auto& o = work_[i].outcome;
                if (o.failed || o.skipped) return;
                if (ctx_.abort_requested()) {
                    o.skipped = true;
                    o.message = "not started: the job was aborted";
                    return;
                }
                step(work_[i], dc);
            },
            [&](std::size_t i, const devices::DeviceOutcome& o) {
                auto& w = work_[i];
                if (!o.ok) {
                    w.outcome.failed = true;
                    w.outcome.message = o.error.empty() ? "timed out" : o.error;
                }
                if (report_done) {
                    result_.record(w.device.hostname, w.outcome);
                    ctx_.device_finished(w.device.hostname);
                }
                ctx_.report_progress({{"total", work_.size()}, {"done", ++done}});
            });
    }

    void read_and_diff(DeviceWork& w, devices::DeviceContext& dc) {
        try {
            w.intended = templates::render_device_config(w.device, env_.render_sources());
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("generating the config failed: ") + e.what());
        }
        w.outcome.generated = true;
        w.outcome.config = mask_secrets(w.intended);
        devices::DeviceConnection conn(w.device, env_.credentials_for(w.device), ssh_, dc.stop);
        w.running = conn.driver().running_config();
        w.outcome.reached = true;
        auto platform = w.device.platform;
        w.changes = !devices::config_matches(platform, w.running, w.intended);
        w.diff = w.changes ? devices::unified_diff(devices::comparable_config(platform, w.running),
                                                  devices::comparable_config(platform, w.intended)) : "";
        w.outcome.diff = mask_secrets(w.diff);
        w.outcome.change_score = device_change_score(w.intended, w.diff);
        w.outcome.message = w.changes ? "differs from its intended config" : "in sync";
    }

    void refuse_drift() {
        std::string drifted;
        for (auto& w : work_) {
            if (!w.outcome.reached || w.device.confhash.empty()) continue;
            if (devices::config_hash(devices::normalize_config(w.running)) != w.device.confhash)
                drifted += (drifted.empty() ? "" : ", ") + w.device.hostname;
        }
        if (drifted.empty()) return;
        for (auto& w : work_) result_.record(w.device.hostname, w.outcome);
        ctx_.set_result(result_.document());
        throw std::runtime_error("devices changed outside Switchyard since their last sync: " + drifted +
                                 "; nothing was pushed (review them, then sync with force to overwrite)");
    }

    void push(DeviceWork& w, devices::DeviceContext& dc) {
        if (!w.changes) return;
        auto creds = env_.credentials_for(w.device);
        {
            devices::DeviceConnection conn(w.device, creds, ssh_, dc.stop);
            conn.driver().load_candidate(w.intended);
            if (o_.confirm_mode == 0) {
                conn.driver().commit();
                w.running = conn.driver().running_config();
            } else {
                auto pending = conn.driver().commit_confirmed(env_.confirm_timer());
                // Confirm only once the device answers on a new connection: a
                // change that cut us off is left to roll back.
                devices::DeviceConnection again(w.device, creds, ssh_, dc.stop);
                w.running = again.driver().running_config();
                again.driver().confirm(pending);
            }
        }
        if (!devices::config_matches(w.device.platform, w.running, w.intended))
            throw std::runtime_error("the commit did not stick: the device's config still differs after the commit");
        w.outcome.message = o_.confirm_mode == 0 ? "committed" : "committed and confirmed";
    }

    void finish() {
        auto conn = env_.connect();
        devices::DeviceStore store(*conn);
        std::vector<int> scores;
        bool any_failed = false;
        for (auto& w : work_) {
            if (o_.dry_run) {
                if (w.outcome.reached) store.update_sync_state(w.device.hostname, !w.changes, w.device.confhash);
            } else if (w.outcome.reached && !w.outcome.failed && !w.outcome.skipped) {
                store.update_sync_state(w.device.hostname, true, devices::config_hash(devices::normalize_config(w.running)));
            }
            if (!o_.dry_run) result_.record(w.device.hostname, w.outcome);
            scores.push_back(w.outcome.change_score);
            any_failed = any_failed || w.outcome.failed;
        }
        ctx_.set_change_score(job_change_score(scores, any_failed));
        ctx_.set_result(result_.document());
        ctx_.check_abort();
    }

    JobContext& ctx_;
    SyncEnvironment& env_;
    Options o_;
    std::vector<DeviceWork> work_;
    SyncResult result_;
    std::shared_ptr<void> keep_;
    devices::SshOptions ssh_;
};

}  // namespace

void register_sync_tasks(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    auto run = [factory](bool dry_run_kind) {
        return [factory, dry_run_kind](JobContext& ctx) {
            auto env = factory();
            if (!env) throw std::runtime_error("device sync is not configured in this process");
            Sync(ctx, *env, parse_options(ctx.args(), dry_run_kind)).run();
        };
    };
    registry.add({.function_name = "sync_devices", .run = run(false), .retry_safe = false, .default_max_attempts = 1});
    // A dry run only reads: safe to run again after its worker died.
    registry.add({.function_name = "sync_devices (dry_run)", .run = run(true), .retry_safe = true,
                  .default_max_attempts = 2});
}

}  // namespace switchyard::tasks
