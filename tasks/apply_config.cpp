// apply_config: bring one device to a config it ran before, a record of its
// config history (devices/config_history.h), with a sync's safety: it is a
// sync whose intended config is that record's text instead of the
// templates' rendering. So a dry run reads and diffs only; a live run locks
// the device, refuses a device changed outside Switchyard unless `force`,
// journals the change (a crash mid-push is recovered by recover_devices),
// commits as confirm_mode says, verifies, and records what it read and
// pushed in the config history. CNaaS-NMS's apply_config pushes a text the
// client sends (sync_devices.py apply_config); ours restores a record, so
// what is pushed is a config the device ran, never text from a request.
//
// Arguments: "hostname", "config_id" (a record of that device), "dry_run"
// (default true), "force", "confirm_mode" 0 or 1 (default:
// sync.default_confirm_mode, 1 where that is 2). Mode 2 is refused: its
// confirm job would mark the device synchronized with its templates, and
// for one device mode 1 confirms as safely within the job.
//
// Once restored the device runs a config its templates may not render: like
// CNaaS-NMS, it is marked unsynchronized with the sync history cause
// "apply_config" (confhash: what it runs now, so the next sync does not take
// the restore for a change made outside Switchyard).
#include "apply_config.h"

#include "device_job_catalog.h"
#include "devices/config_history.h"
#include "devices/config_restore.h"
#include "sync_job.h"
#include "task_registry.h"

#include <limits>

namespace switchyard::tasks {
namespace {

using nlohmann::json;

struct ApplyConfigOptions {
    SyncOptions sync;
    std::int64_t config_id = 0;
};

std::int64_t config_id_argument(const json& args) {
    const std::string what = "the id of a record of the device's config history (GET /device/<hostname>/configs)";
    if (!args.contains("config_id")) throw std::invalid_argument("field 'config_id' is missing: give " + what);
    const auto& v = args["config_id"];
    if (v.is_number_unsigned()) {
        auto n = v.get<std::uint64_t>();
        if (n >= 1 && n <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return static_cast<std::int64_t>(n);
    } else if (v.is_number_integer() && v.get<std::int64_t>() >= 1) {
        return v.get<std::int64_t>();
    }
    throw std::invalid_argument("field 'config_id' must be " + what + ", a positive integer");
}

// Throws std::invalid_argument for arguments that are not apply_config's.
ApplyConfigOptions parse_apply_config_options(const json& args) {
    if (!args.is_object()) throw std::invalid_argument("apply_config needs its arguments as a JSON object");
    static constexpr const char* kKnown[] = {"hostname", "config_id", "dry_run", "force", "confirm_mode"};
    for (auto& [key, value] : args.items()) {
        bool known = false;
        for (auto* k : kKnown) known = known || key == k;
        if (!known)
            throw std::invalid_argument("apply_config takes no argument '" + key +
                                        "' (only hostname, config_id, dry_run, force, confirm_mode)");
    }
    if (!args.contains("hostname") || !args["hostname"].is_string())
        throw std::invalid_argument("field 'hostname' must name the device whose config is restored");
    if (auto err = devices::hostname_error(args["hostname"].get<std::string>()); !err.empty())
        throw std::invalid_argument("field 'hostname': " + err);
    ApplyConfigOptions o;
    o.config_id = config_id_argument(args);
    if (args.contains("confirm_mode")) {
        const auto& m = args["confirm_mode"];
        if (!m.is_number_integer() || (m != 0 && m != 1))
            throw std::invalid_argument(
                "field 'confirm_mode' " + (m.is_number() ? "is " + m.dump() + ", which " : std::string()) +
                "is not supported by apply_config: it must be 0 (commit) or 1 (commit with a timer, confirmed "
                "within the job once the device answers again); 2 would leave the confirm to a confirm_devices "
                "job, which marks the device synchronized with its templates");
    }
    // The sync's own checks (flags) with its words.
    o.sync = parse_sync_options(args);
    return o;
}

class ApplyConfigJob : public SyncJob {
public:
    ApplyConfigJob(JobContext& ctx, SyncEnvironment& env, ApplyConfigOptions o)
        : SyncJob(ctx, env, o.sync), config_id_(o.config_id), dry_run_(o.sync.dry_run) {
        set_result_field("config_id", config_id_);
    }

private:
    void take_intended(std::size_t i) override {
        auto& w = work_[i];
        auto conn = env_.connect();
        auto source = devices::restore_source(*conn, w.device.hostname, config_id_, w.device.platform,
                                              "config " + std::to_string(config_id_));
        if (!source.found)
            throw std::runtime_error("config " + std::to_string(config_id_) + " is not in the config history of " +
                                     w.device.hostname + " (pruned since the job was scheduled?)");
        if (!source.refused.empty()) throw std::runtime_error(source.refused);
        w.intended() = std::move(source.config);
    }

    std::string read_message(const SyncWork& w) const override {
        return (w.changes ? "differs from config " : "runs config ") + std::to_string(config_id_) +
               (w.changes ? "" : " already");
    }

    std::optional<devices::DeviceStore::SyncState> sync_state(const SyncWork& w) const override {
        const auto& host = w.device.hostname;
        // The device runs the record now (pushed, or found so with force):
        // Switchyard left it there, its templates may not render it.
        if (!dry_run_ && w.reached && !w.failed && !w.skipped && (w.changes || drifted(w)))
            return {{host, false, w.running_hash.hex(), "apply_config"}};
        if (!dry_run_ && w.reached && w.failed && w.changes) return {{host, false, w.device.confhash}};
        // A dry run says nothing of the templates; only drift is news.
        if (drifted(w)) return {{host, false, w.device.confhash, "confighash"}};
        return std::nullopt;
    }

    // CNaaS-NMS's apply_config tasks (sync_devices.py push_static_config).
    json device_result(std::size_t i) const override {
        const auto& w = work_[i];
        json tasks = json::array();
        tasks.push_back({{"task_name", "push_static_config"},
                         {"result", w.failed ? json(w.message) : json(nullptr)},
                         {"diff", ""},
                         {"failed", w.failed}});
        tasks.push_back(
            with_diff(i, {{"task_name", "Push static config"}, {"result", w.message}, {"failed", w.failed}}));
        return {{"failed", w.failed}, {"change_score", w.change_score}, {"job_tasks", tasks}};
    }

    std::int64_t config_id_;
    bool dry_run_;
};

}  // namespace

void register_apply_config_task(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add(
        {.function_name = "apply_config",
         .run =
             [factory](JobContext& ctx) {
                 ApplyConfigJob(ctx, *device_environment(factory), parse_apply_config_options(ctx.args())).run();
             },
         .retry_safe = false,
         .default_max_attempts = 1,
         .default_args = {{"dry_run", true}},
         .configured_default_args =
             [factory] {
                 auto mode = configured_confirm_mode(factory);
                 if (mode == devices::ConfirmMode::confirm_by_next_job)
                     mode = devices::ConfirmMode::confirm_on_reconnect;
                 return json{{"confirm_mode", devices::to_number(mode)}};
             },
         // A dry run only reads: safe to run again after its worker died,
         // as a sync's dry run is (its name stays apply_config).
         .retry_by_args = {{.implied_args = {{"dry_run", true}}, .retry_safe = true, .default_max_attempts = 2}},
         .description = "restores a record of a device's config history to the device with a sync's "
                        "safety: diffs it with the running config (a dry run, the default), or pushes, "
                        "commits and verifies it (dry_run false)",
         .arguments_schema = apply_config_arguments_schema(),
         .check_arguments = [](const json& args) { parse_apply_config_options(args); },
         .locks = {"device:<hostname> (live runs only)"},
         .device_count = named_device_count});
}

}  // namespace switchyard::tasks
