// sync_devices: bring devices in line with their generated config.
//
// Phase 1, every device in parallel: generate the intended config, read the
// running config, diff. Nothing is changed until every device has been read,
// so a device changed outside Switchyard (its running config no longer has
// the hash stored at its last sync) stops a live run before it touches any
// device, unless `force`. Phase 2 (live runs, sync_push.cpp): push, commit,
// re-read, and check the device now matches. One device failing never stops
// the others. An abort starts no new device; devices mid-commit finish.
// Arguments: a device selector (devices/device_selector.h), "dry_run"
// (default true), "force", "auto_push", "confirm_mode" (default: the setting
// sync.default_confirm_mode), "confirm_all_or_nothing" (confirm_mode 2),
// "rollout" (a live run pushes in batches with a failure budget: rollout.h).
#include "apply_config.h"
#include "backup_configs.h"
#include "change_score.h"
#include "confirm_devices.h"
#include "device_job_catalog.h"
#include "devices/config_compare.h"
#include "devices/config_diff.h"
#include "devices/config_history.h"
#include "devices/defaults.h"
#include "devices/device_store.h"
#include "devices/secret_masker.h"
#include "recover_devices.h"
#include "roll_back_unconfirmed.h"
#include "sync_job.h"
#include "task_registry.h"

namespace switchyard::tasks {

using nlohmann::json;

SyncOptions parse_sync_options(const json& args) {
    if (!args.is_object()) throw std::invalid_argument("sync_devices needs its arguments as a JSON object");
    SyncOptions o;
    o.selector = devices::selector_from_json(args);
    auto flag = [&](const char* name, bool fallback) {
        if (!args.contains(name)) return fallback;
        if (!args[name].is_boolean())
            throw std::invalid_argument(std::string("field '") + name + "' must be true or false");
        return args[name].get<bool>();
    };
    o.dry_run = flag("dry_run", true);
    o.force = flag("force", false);
    o.auto_push = flag("auto_push", false);
    // Absent only from a job enqueued before the setting existed: every
    // enqueue fills in sync.default_confirm_mode (configured_default_args).
    if (args.contains("confirm_mode")) {
        const auto& m = args["confirm_mode"];
        auto mode = m.is_number_integer() ? devices::confirm_mode_from_number(m.get<std::int64_t>()) : std::nullopt;
        if (!mode)
            throw std::invalid_argument("field 'confirm_mode' " +
                                        (m.is_number() ? "is " + m.dump() + ", which " : std::string()) +
                                        "is not supported: it must be " + std::string(devices::kConfirmModeChoices));
        o.confirm_mode = *mode;
    }
    o.confirm_all_or_nothing = flag("confirm_all_or_nothing", false);
    if (o.confirm_all_or_nothing && o.confirm_mode != devices::ConfirmMode::confirm_by_next_job)
        throw std::invalid_argument(
            "field 'confirm_all_or_nothing' needs confirm_mode 2 (every device commits on a timer, "
            "then one job confirms them all), not " +
            std::to_string(devices::to_number(o.confirm_mode)));
    o.rollout = parse_rollout(args);
    if (o.rollout && o.dry_run)
        throw std::invalid_argument("rollout needs a live run (dry_run false): a dry run changes no device");
    if (o.rollout && o.confirm_mode == devices::ConfirmMode::confirm_by_next_job)
        throw std::invalid_argument(
            "rollout cannot be combined with confirm_mode 2 (nor confirm_all_or_nothing): "
            "every device would wait on its timer for one confirm job after the last batch; "
            "use confirm_mode 0 or 1, which settle each batch before the next");
    return o;
}

devices::ConfirmMode configured_confirm_mode(const SyncEnvironmentFactory& factory) {
    auto env = factory();
    return env ? env->default_confirm_mode() : devices::defaults::kDefaultConfirmMode;
}

std::string hidden_secrets_note(std::size_t hidden) {
    if (hidden == 0) return "";
    return "; " + std::to_string(hidden) +
           " secret(s) the device hides from this account (/* SECRET-DATA */) were not compared";
}

void SyncJob::body() {
    texts_ = std::make_unique<SyncTexts>(
        env_, ctx_.job().id, SyncTexts::DiffLimits{env_.result_diff_max_bytes(), env_.result_diffs_max_bytes()},
        env_.text_flush_interval());
    load(o_.selector);
    if (!o_.dry_run) lock_devices();
    fan_out({"reading", o_.dry_run, true}, [this](std::size_t i, devices::DeviceContext& dc) { read_and_diff(i, dc); });
    if (!o_.dry_run) {
        // Every parked config is in PostgreSQL before any device is pushed.
        try {
            texts_->flush();
        } catch (const std::exception& e) {
            throw std::runtime_error(
                std::string("storing the configs read until their push failed (nothing was pushed): ") + e.what());
        }
    }

    if (!o_.dry_run && !o_.force) refuse_drift();
    if (!o_.dry_run && !ctx_.abort_requested()) {
        journal_ = open_journal();
        refuse_unsettled_changes();
        if (o_.confirm_all_or_nothing && refuse_partial_push()) {
            finish();
            throw_all_or_nothing_failure();
        }
        if (o_.rollout) {
            push_in_batches();
            return;
        }
        fan_out({"pushing", true, true}, [this](std::size_t i, devices::DeviceContext& dc) { push(i, dc); });
        if (o_.confirm_all_or_nothing && roll_back_all_if_one_failed()) {
            finish();
            throw_all_or_nothing_failure();
        }
        if (o_.confirm_mode == devices::ConfirmMode::confirm_by_next_job) hand_over_to_confirm();
    }
    finish();
    throw_if_left_mid_change();
}

// CNaaS-NMS's shape: push_sync_device, Generate device config, Sync device
// config; texts by reference (issue 16): the generated config is named by
// "config_id" and a diff over sync.result_diff_max_bytes is cut to its first
// lines, the whole one named by "diff_id" (devices/job_texts.h). GET
// /job/<id> puts both back in place (service/api/job_document_stream.cpp).
json SyncJob::device_result(std::size_t i) const {
    const auto& w = work_[i];
    json tasks = json::array();
    tasks.push_back({{"task_name", "push_sync_device"},
                     {"result", w.failed ? json(w.message) : json(nullptr)},
                     {"diff", ""},
                     {"failed", w.failed}});
    json generated = {
        {"task_name", "Generate device config"}, {"result", nullptr}, {"diff", ""}, {"failed", !w.generated}};
    if (w.generated_id) generated["config_id"] = w.generated_id;
    tasks.push_back(std::move(generated));
    tasks.push_back(with_diff(
        i, {{"task_name", "Sync device config"}, {"result", w.message}, {"failed", w.failed && w.generated}}));
    return {{"failed", w.failed}, {"change_score", w.change_score}, {"job_tasks", tasks}};
}

std::string SyncJob::stored_diff_head(std::size_t i) const {
    const auto id = work_[i].diff_id;
    auto found = [&] {
        auto it = heads_.by_id.find(id);
        return it == heads_.by_id.end() ? std::string() : it->second;
    };
    // Read already (or gone), or unreadable: once the database fails here,
    // every other device would wait its connect timeout too.
    if (heads_unreadable_ || (i >= heads_.begin_device && i < heads_.end_device)) return found();
    // The result is written in device order: read the heads of the next
    // devices that need one, at most kHeadBatchBytes of diffs read at a time.
    constexpr std::size_t kHeadBatchBytes = std::size_t{4} << 20;
    constexpr std::size_t kMostRead = std::size_t{SyncTexts::kDiffHeadReadChars} * 4;  // UTF-8
    std::vector<std::int64_t> ids;
    std::size_t bytes = 0, k = i;
    for (; k < work_.size() && (ids.empty() || bytes < kHeadBatchBytes); ++k) {
        if (!work_[k].result_diff_stored) continue;
        ids.push_back(work_[k].diff_id);
        bytes += std::min(work_[k].diff_bytes, kMostRead);
    }
    heads_ = {{}, i, k};
    try {
        heads_.by_id = texts_->diff_heads(ids);
    } catch (const std::exception& e) {
        heads_unreadable_ = true;
        ctx_.log().warn("reading the first lines of cut diffs back for the result failed (shown without them): {}",
                        e.what());
    }
    return found();
}

json SyncJob::with_diff(std::size_t i, json task) const {
    const auto& w = work_[i];
    std::string diff = !w.read_texts_taken    ? devices::safe_text(w.diff())
                       : w.result_diff_stored ? stored_diff_head(i)
                                              : w.result_diff;
    if (w.diff_cut) {
        if (!diff.empty() && diff.back() != '\n') diff += '\n';  // a line cut at kDiffSummaryMaxBytes
        diff +=
            "[... a diff of " + std::to_string(w.diff_bytes) + " bytes, cut to its first " +
            std::to_string(devices::defaults::kDiffSummaryLines) + " lines (at most " +
            std::to_string(devices::defaults::kDiffSummaryMaxBytes / 1024) + " KiB)" +
            (w.diff_cut_by_job_limit ? " (this job's result holds sync.result_diffs_max_bytes of diffs already)" : "") +
            ": GET /api/v1.0/job/" + std::to_string(ctx_.job().id) + " shows it whole]\n";
        task["diff_bytes"] = w.diff_bytes;
        if (w.diff_id) task["diff_id"] = w.diff_id;
    }
    task["diff"] = std::move(diff);
    return task;
}

void SyncJob::device_done(std::size_t i) {
    // One that failed mid-change keeps its texts until finish(): putting it
    // back needs its config before (sync_failed_changes.cpp).
    if (work_[i].failed && work_[i].change) return;
    try {
        texts_->take(work_[i]);
    } catch (const std::exception& e) {
        // Kept for the next batch; the job's end tries again (and fails then).
        ctx_.log().warn("storing the configs of finished devices failed (tried again later): {}", e.what());
    }
}

void SyncJob::device_between_passes(std::size_t i) {
    auto& w = work_[i];
    if (o_.dry_run) return;
    try {
        if (w.reached && w.changes && !w.failed && !w.skipped) texts_->park(w);
        else texts_->take(w);  // nothing to push: it is done with its texts
    } catch (const std::exception& e) {
        // Kept for the next batch; the end of the read flushes it (and
        // fails the job before any push if it cannot).
        ctx_.log().warn("storing the configs of devices read failed (tried again later): {}", e.what());
    }
}

void SyncJob::settle() {
    if (!texts_) return;
    for (auto& w : work_) texts_->take(w);
    try {
        texts_->drop_parked();
    } catch (const std::exception& e) {
        ctx_.log().warn("removing this job's parked configs failed (they go with the job): {}", e.what());
    }
    texts_->flush();
}

templates::RenderSources SyncJob::render_sources() {
    std::lock_guard lock(sources_mutex_);
    if (!sources_ && sources_error_.empty()) {
        try {
            sources_ = env_.render_sources_for(ctx_.args());
        } catch (const templates::TemplateError& e) {
            sources_error_ = e.what();
        }
    }
    if (!sources_) throw templates::TemplateError(sources_error_);
    return *sources_;
}

void SyncJob::take_intended(std::size_t i) {
    auto& w = work_[i];
    try {
        w.intended() = templates::render_device_config(w.device, render_sources());
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("generating the config failed: ") + e.what());
    }
    w.generated = true;
}

std::string SyncJob::read_message(const SyncWork& w) const {
    return w.changes ? "differs from its intended config" : "in sync";
}

void SyncJob::read_and_diff(std::size_t i, devices::DeviceContext& dc) {
    auto& w = work_[i];
    take_intended(i);
    auto conn = connect(i, dc);
    w.running() = w.read() = conn.driver().running_config();
    w.read_hash = devices::ConfigHash::of(w.read());
    w.reached = true;
    auto compared = devices::compare_configs(w.device.platform, w.running(), w.intended());
    w.changes = !compared.matches;
    w.diff() = std::move(compared.diff);
    w.change_score = device_change_score(w.intended(), w.diff());
    w.message = read_message(w) + hidden_secrets_note(compared.hidden_secrets);
}

bool drifted(const SyncWork& w) {
    return w.reached && !w.device.confhash.empty() && w.read_hash.hex() != w.device.confhash;
}

void SyncJob::refuse_drift() {
    std::string hosts;
    for (auto& w : work_)
        if (drifted(w)) hosts += (hosts.empty() ? "" : ", ") + w.device.hostname;
    if (hosts.empty()) return;
    throw std::runtime_error("devices changed outside Switchyard since their last sync: " + hosts +
                             "; nothing was pushed (review them, then sync with force to overwrite)");
}

// A change another job left open on a device is that job's, its timer's or
// a recovery's to settle (roll back or complete): pushing over it would mix
// two changes, and the one settling it would then undo ours. Not even with
// force: the device is not drifted, it is mid-change. Checked under the
// devices' locks, which whoever opens a change holds; the timer job that
// rolls an unconfirmed frr commit back does not wait for them, so this is
// what keeps a sync off such a device until then.
void SyncJob::refuse_unsettled_changes() {
    std::vector<std::string> hostnames;
    for (auto& w : work_)
        if (w.reached) hostnames.push_back(w.device.hostname);
    if (hostnames.empty()) return;
    auto open = journal_->unsettled_on(hostnames);
    if (open.empty()) return;
    std::string which;
    for (auto& c : open) {
        which += (which.empty() ? "" : "; ") + c.hostname + " (change " + std::to_string(c.id) + " of job " +
                 std::to_string(c.sync_job_id) + ", " + std::string(devices::to_string(c.phase)) + ", job " +
                 std::to_string(c.job_id) + " answers for it";
        if (c.confirm_timer_job_id && *c.confirm_timer_job_id != c.job_id)
            which +=
                "; its confirm timer job " + std::to_string(*c.confirm_timer_job_id) + " rolls it back at the deadline";
        which += ")";
    }
    throw std::runtime_error("devices are in the middle of another job's change: " + which +
                             "; nothing was pushed (sync again once it is settled)");
}

// auto_push: the live run of a one-device dry run with a small enough
// change score, scheduled as this job's next job.
void SyncJob::maybe_auto_push(int job_score) {
    if (!o_.auto_push) return;
    if (work_.size() != 1) {
        set_result_field("auto_push", {{"scheduled", false}, {"reason", "auto_push needs exactly one device"}});
        return;
    }
    auto& w = work_.front();
    int limit = env_.auto_push_max_score();
    std::string why;
    if (!w.reached || w.failed) why = "the dry run failed";
    else if (!w.changes) why = "nothing to push";
    else if (job_score >= limit)
        why =
            "change score " + std::to_string(job_score) + " is not under the auto_push limit " + std::to_string(limit);
    if (!why.empty()) {
        set_result_field("auto_push", {{"scheduled", false}, {"reason", why}});
        return;
    }
    json args = {
        {"dry_run", false}, {"confirm_mode", devices::to_number(o_.confirm_mode)}, {"auto_pushed_by", ctx_.job().id}};
    if (o_.confirm_all_or_nothing) args["confirm_all_or_nothing"] = true;
    devices::selector_to_json(devices::DeviceSelector{.hostnames = {w.device.hostname}}, args);
    // The live run pushes what this dry run rendered: the same commits.
    if (ctx_.args().contains("repository_commits")) args["repository_commits"] = ctx_.args()["repository_commits"];
    ctx_.schedule_next("sync_devices", args);
    set_result_field("auto_push", {{"scheduled", true},
                                   {"reason", "change score " + std::to_string(job_score) + " is under the limit " +
                                                  std::to_string(limit)}});
}

std::optional<devices::DeviceStore::SyncState> SyncJob::sync_state(const SyncWork& w) const {
    const auto& host = w.device.hostname;
    if (o_.dry_run) {
        // As CNaaS-NMS: a dry run checks drift too, and says in the
        // device's sync history why it is no longer synchronized
        // (sync_devices.py: "confighash", "syncto_dryrun").
        if (drifted(w)) return {{host, false, w.device.confhash, "confighash"}};
        if (w.reached) return {{host, !w.changes, w.device.confhash, w.changes ? "syncto_dryrun" : ""}};
    } else if (w.pending) {
        // confirm_devices records it once confirmed.
    } else if (w.reached && !w.failed && !w.skipped) {
        return {{host, true, w.running_hash.hex()}};
    } else if (w.reached && w.changes) {
        return {{host, false, w.device.confhash}};
    }
    return std::nullopt;
}

void SyncJob::finish() {
    settle_failed_changes();
    // Every device is done: what is still held is written (running_hash is
    // set from here on).
    settle();
    auto conn = env_.connect();
    std::vector<devices::DeviceStore::SyncState> states;
    std::vector<int> scores;
    bool any_failed = false;
    for (auto& w : work_) {
        if (auto state = sync_state(w)) states.push_back(std::move(*state));
        scores.push_back(w.change_score);
        any_failed = any_failed || w.failed;
    }
    devices::DeviceStore(*conn).update_sync_states(states, ctx_.job().scheduled_by, ctx_.job().id);
    int job_score = job_change_score(scores, any_failed);
    ctx_.set_change_score(job_score);
    if (o_.dry_run) maybe_auto_push(job_score);
    if (!handed_over_) ctx_.check_abort();
}

// And apply_config (apply_config.cpp): a sync whose intended config is a
// config history record.
void register_sync_tasks(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add({.function_name = "sync_devices",
                  .run =
                      [factory](JobContext& ctx) {
                          SyncJob(ctx, *device_environment(factory), parse_sync_options(ctx.args())).run();
                      },
                  .retry_safe = false,
                  .default_max_attempts = 1,
                  .default_args = {{"dry_run", true}},
                  // The mode a job runs with is in its stored arguments, whoever
                  // enqueued it (the API, a schedule's tick, an auto_push).
                  .configured_default_args =
                      [factory] {
                          return json{{"confirm_mode", devices::to_number(configured_confirm_mode(factory))}};
                      },
                  // A dry run only reads: safe to run again after its worker died.
                  .shown_as = {{.name = "sync_devices (dry_run)",
                                .implied_args = {{"dry_run", true}},
                                .retry_safe = true,
                                .default_max_attempts = 2,
                                .description = "renders the intended config of devices and diffs it with their "
                                               "running config (a dry run: changes nothing)"}},
                  .description = "renders, diffs and pushes the intended config of devices (a live run when "
                                 "dry_run is false; a dry run is shown as sync_devices (dry_run))",
                  .arguments_schema = sync_devices_arguments_schema(),
                  .check_arguments = [](const json& args) { parse_sync_options(args); },
                  .why_not_pausable = [](const json& args) -> std::string {
                      try {
                          if (parse_sync_options(args).rollout) return "";
                      } catch (const std::invalid_argument& e) {
                          return e.what();
                      }
                      return "it has no rollout: only a live sync_devices with a rollout pauses, between its batches";
                  },
                  .locks = {"device:<hostname> of each device (live runs only)"},
                  .device_count = named_device_count});
    register_confirm_task(registry, factory);
    register_backup_task(registry, factory);
    register_apply_config_task(registry, factory);
    register_recover_task(registry, factory);
    register_confirm_timer_task(registry, factory);
    registry.add_maintenance({.name = "change journal: closed entries past their keep",
                              .every_rounds = 600,
                              .run = [](pqxx::connection& conn) {
                                  devices::ChangeJournal::prune(conn, devices::defaults::kChangeJournalKeepDays);
                              }});
    registry.add_maintenance(
        {.name = "config history: texts no record uses", .every_rounds = 30, .run = [](pqxx::connection& conn) {
             devices::ConfigHistory(conn).sweep_unused_texts();
         }});
}

}  // namespace switchyard::tasks
