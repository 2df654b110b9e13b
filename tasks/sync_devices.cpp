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
#include "confirm_devices.h"
#include "devices/config_compare.h"
#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/device_connection.h"
#include "devices/device_store.h"
#include "devices/pending_commit_store.h"
#include "devices/secret_masker.h"
#include "sync_environment.h"
#include "sync_result.h"
#include "task_registry.h"

#include <thread>

namespace switchyard::tasks {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using devices::Device;

struct Options {
    std::vector<std::string> hostnames;
    bool dry_run = true;
    bool force = false;
    bool auto_push = false;
    int confirm_mode = 0;
};

Options parse_options(const json& args, bool dry_run_kind) {
    if (!args.is_object() || !args.contains("hostnames") || !args["hostnames"].is_array())
        throw std::invalid_argument("sync_devices needs argument 'hostnames' (a list)");
    Options o;
    for (auto& h : args["hostnames"]) o.hostnames.push_back(h.get<std::string>());
    o.dry_run = dry_run_kind || args.value("dry_run", true);
    o.force = args.value("force", false);
    o.auto_push = args.value("auto_push", false);
    o.confirm_mode = args.value("confirm_mode", 0);
    if (o.confirm_mode < 0 || o.confirm_mode > 2)
        throw std::invalid_argument("confirm_mode " + std::to_string(o.confirm_mode) + " is not supported (0, 1 or 2)");
    return o;
}

struct DeviceWork {
    Device device;
    std::string intended, running, diff;
    std::string read;  // the running config as phase 1 read it
    bool changes = false;
    std::optional<devices::PendingCommit> pending;  // confirm_mode 2: committed, awaiting confirm_devices
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
            if (o_.confirm_mode == 2) hand_over_to_confirm();
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
            work_.push_back({*d, "", "", "", "", false, std::nullopt, {}});
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
        w.outcome.config = devices::safe_text(w.intended);
        devices::DeviceConnection conn(w.device, env_.credentials_for(w.device), ssh_, dc.stop);
        w.running = w.read = conn.driver().running_config();
        w.outcome.reached = true;
        auto platform = w.device.platform;
        w.changes = !devices::config_matches(platform, w.running, w.intended);
        w.diff = w.changes ? devices::unified_diff(devices::comparable_running_config(platform, w.running, w.intended),
                                                  devices::comparable_config(platform, w.intended)) : "";
        w.outcome.diff = devices::safe_text(w.diff);
        w.outcome.change_score = device_change_score(w.intended, w.diff);
        w.outcome.message = w.changes ? "differs from its intended config" : "in sync";
        w.outcome.message += hidden_secrets_note(platform, w.running);
    }

    // junos shows secrets as "/* SECRET-DATA */" to a login class without the
    // secret permission: those were taken as equal, and the result says so.
    static std::string hidden_secrets_note(devices::Platform platform, const std::string& running) {
        auto n = devices::hidden_secrets(platform, running);
        if (n == 0) return "";
        return "; " + std::to_string(n) + " secret(s) the device hides from this account (/* SECRET-DATA */) were not compared";
    }

    void refuse_drift() {
        std::string drifted;
        for (auto& w : work_) {
            if (!w.outcome.reached || w.device.confhash.empty()) continue;
            if (devices::config_hash(w.running) != w.device.confhash)
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
        devices::DeviceConnection conn(w.device, creds, ssh_, dc.stop);
        conn.driver().load_candidate(w.intended);
        if (o_.confirm_mode == 0) {
            conn.driver().commit();
            w.running = conn.driver().running_config();
            w.outcome.message = "committed";
        } else if (o_.confirm_mode == 1) {
            auto pending = conn.driver().commit_confirmed(env_.confirm_timer());
            confirm_on_new_connection(w, conn, pending, creds, dc);
            w.outcome.message = "committed and confirmed";
        } else {
            auto pending = conn.driver().commit_confirmed(env_.confirm_timer());
            w.pending = pending;
            w.running = conn.driver().running_config();
            w.outcome.message = "committed with a " + std::to_string(pending.timer.count()) +
                                " s confirm timer; the confirm_devices job (next_job_id) confirms it";
        }
        if (!devices::config_matches(w.device.platform, w.running, w.intended))
            throw std::runtime_error("the commit did not stick: the device's config still differs after the commit");
        w.outcome.message += hidden_secrets_note(w.device.platform, w.running);
    }

    // confirm_mode 1: confirm only once the device answers on a new
    // connection. A change that cut us off is left to roll back: by the
    // device's own timer (eos, junos), or by us over the session we still
    // hold (frr has no timer).
    void confirm_on_new_connection(DeviceWork& w, devices::DeviceConnection& first, const devices::PendingCommit& pending,
                                   const devices::Credentials& creds, devices::DeviceContext& dc) {
        // A device busy applying the change may refuse for a moment: retry
        // briefly, well inside the confirm window.
        const auto give_up = std::chrono::steady_clock::now() + pending.timer / 3;
        std::string why;
        for (int attempt = 1;; ++attempt) {
            try {
                devices::DeviceConnection again(w.device, creds, ssh_, dc.stop);
                w.running = again.driver().running_config();
                again.driver().confirm(pending);
                return;
            } catch (const std::exception& e) {
                why = e.what();
            }
            if (attempt >= 3 || dc.stop.stop_requested() || std::chrono::steady_clock::now() + 500ms >= give_up) break;
            std::this_thread::sleep_for(500ms);
        }
        std::string what = "the device did not answer on a new connection after the commit (" + why + "); not confirmed: ";
        if (pending.device_enforces_timer)
            throw std::runtime_error(what + "it rolls back by itself when its " + std::to_string(pending.timer.count()) +
                                     " s timer runs out");
        try {
            first.driver().rollback(pending);
        } catch (const std::exception& e) {
            throw std::runtime_error(what + "rolling back over the first session failed too (" + e.what() +
                                     "); the change is applied but not saved, a reload restores the previous config");
        }
        throw std::runtime_error(what + "rolled back to the previous config over the first session");
    }

    // confirm_mode 2: every committed device waits for the confirm_devices
    // job, which the engine inserts when this job ends FINISHED. Its pending
    // commit goes to the database so whichever process runs that job finds it.
    void hand_over_to_confirm() {
        if (ctx_.abort_requested()) {
            roll_back_unconfirmed();
            return;
        }
        std::vector<std::string> hostnames;
        std::vector<devices::PendingCommitStore::Saved> commits;
        for (auto& w : work_) {
            if (!w.pending || w.outcome.failed) continue;
            commits.push_back({w.device.hostname, *w.pending, devices::config_hash(w.running)});
            hostnames.push_back(w.device.hostname);
        }
        auto conn = env_.connect();
        devices::PendingCommitStore(*conn).save(commits, ctx_.job().id);
        if (hostnames.empty()) return;
        ctx_.schedule_next("confirm_devices", {{"hostnames", hostnames}, {"sync_job_id", ctx_.job().id}});
        result_.set("confirm_devices", hostnames);
        // From here an abort comes too late: this job ends FINISHED so that
        // its confirm job runs (the engine inserts it only then).
        handed_over_ = true;
    }

    // An aborted confirm_mode 2 sync has no confirm job coming: devices with
    // a timer of their own roll back when it runs out; frr ones we roll back.
    void roll_back_unconfirmed() {
        std::vector<std::size_t> own;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < work_.size(); ++i) {
            auto& w = work_[i];
            if (!w.pending) continue;
            if (w.pending->device_enforces_timer) {
                w.outcome.message = "committed, not confirmed (the job was aborted): the device rolls back when its " +
                                    std::to_string(w.pending->timer.count()) + " s timer runs out";
                result_.record(w.device.hostname, w.outcome);
            } else {
                own.push_back(i);
                names.push_back(w.device.hostname);
            }
        }
        devices::FanoutPool pool(env_.fanout_options());
        pool.run(
            names,
            [&](std::size_t k, devices::DeviceContext& dc) {
                auto& w = work_[own[k]];
                devices::DeviceConnection conn(w.device, env_.credentials_for(w.device), ssh_, dc.stop);
                conn.driver().rollback(*w.pending);
                w.running = conn.driver().running_config();
            },
            [&](std::size_t k, const devices::DeviceOutcome& o) {
                auto& w = work_[own[k]];
                w.outcome.message = o.ok ? "committed, then rolled back because the job was aborted"
                                         : "committed, not confirmed (the job was aborted); rolling back failed (" +
                                               o.error + "): the change is applied but not saved";
                w.outcome.failed = !o.ok;
                result_.record(w.device.hostname, w.outcome);
            });
        for (auto& w : work_) w.pending.reset();
    }

    // auto_push: the live run of a one-device dry run with a small enough
    // change score, scheduled as this job's next job.
    void maybe_auto_push(int job_score) {
        if (!o_.auto_push) return;
        if (work_.size() != 1) {
            result_.set("auto_push", {{"scheduled", false}, {"reason", "auto_push needs exactly one device"}});
            return;
        }
        auto& w = work_.front();
        std::string why;
        if (!w.outcome.reached || w.outcome.failed) why = "the dry run failed";
        else if (!w.changes) why = "nothing to push";
        else if (job_score >= env_.auto_push_max_score())
            why = "change score " + std::to_string(job_score) + " is not under the auto_push limit " +
                  std::to_string(env_.auto_push_max_score());
        if (!why.empty()) {
            result_.set("auto_push", {{"scheduled", false}, {"reason", why}});
            return;
        }
        ctx_.schedule_next("sync_devices", {{"hostnames", {w.device.hostname}},
                                            {"dry_run", false},
                                            {"confirm_mode", o_.confirm_mode},
                                            {"auto_pushed_by", ctx_.job().id}});
        result_.set("auto_push", {{"scheduled", true}, {"reason", "change score " + std::to_string(job_score) +
                                                                      " is under the limit " +
                                                                      std::to_string(env_.auto_push_max_score())}});
    }

    void finish() {
        auto conn = env_.connect();
        record_history(*conn);
        std::vector<devices::DeviceStore::SyncState> states;
        std::vector<int> scores;
        bool any_failed = false;
        for (auto& w : work_) {
            const auto& host = w.device.hostname;
            if (o_.dry_run) {
                if (w.outcome.reached) states.push_back({host, !w.changes, w.device.confhash});
            } else if (w.pending) {
                // confirm_devices records it once confirmed.
            } else if (w.outcome.reached && !w.outcome.failed && !w.outcome.skipped) {
                states.push_back({host, true, devices::config_hash(w.running)});
            } else if (w.outcome.reached && w.changes) {
                states.push_back({host, false, w.device.confhash});
            }
            if (!o_.dry_run) result_.record(host, w.outcome);
            scores.push_back(w.outcome.change_score);
            any_failed = any_failed || w.outcome.failed;
        }
        devices::DeviceStore(*conn).update_sync_states(states);
        int job_score = job_change_score(scores, any_failed);
        ctx_.set_change_score(job_score);
        if (o_.dry_run) maybe_auto_push(job_score);
        ctx_.set_result(result_.document());
        if (!handed_over_) ctx_.check_abort();
    }

    // Every config read, and every config a commit left on a device, goes to
    // the devices' config history (one transaction for the whole job).
    void record_history(pqxx::connection& conn) {
        std::vector<devices::ConfigEntry> entries;
        for (auto& w : work_) {
            if (!w.outcome.reached) continue;
            entries.push_back({w.device.hostname, w.read, ctx_.job().id, "read"});
            if (w.running != w.read && !w.outcome.failed)
                entries.push_back({w.device.hostname, w.running, ctx_.job().id, "pushed"});
        }
        devices::ConfigHistory(conn).record(entries);
    }

    JobContext& ctx_;
    SyncEnvironment& env_;
    Options o_;
    std::vector<DeviceWork> work_;
    SyncResult result_;
    bool handed_over_ = false;  // confirm_mode 2: the confirm job is scheduled
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
    register_confirm_task(registry, factory);
}

}  // namespace switchyard::tasks
