// backup_configs: reads the running config of the selected MANAGED devices
// into their config history, as Oxidized does on its interval, so that a
// nightly schedule keeps history even when nobody syncs.
//
// Per device, in parallel (ssh.concurrency, each under its device deadline):
// read the running config through the driver and record it, unless the
// device's newest record already holds it once normalised (a timestamp line
// is no change); the result says which: stored, unchanged, or failed with
// the reason. One device failing never stops the others. It changes no
// device and takes no lock; a device's synchronized flag and confhash are a
// sync's to set. Each device is recorded as soon as it is read, so the job's
// memory is bounded by the devices in flight, not by the fleet. Its history
// records are stored raw, as a sync's are: secrets are masked where a config
// leaves the process (the API, the CLI), and a rotated password is a change.
// Arguments: a device selector (devices/device_selector.h); every MANAGED
// device it selects, synchronized or not.
#include "backup_configs.h"

#include "device_job.h"
#include "device_job_catalog.h"
#include "devices/config_history.h"
#include "task_registry.h"

#include <mutex>
#include <optional>
#include <pqxx/except>

namespace switchyard::tasks {
namespace {

using nlohmann::json;
using Recorded = devices::ConfigHistory::RecordOutcome;

devices::DeviceSelector parse_backup_selector(const json& args) {
    if (!args.is_object()) throw std::invalid_argument("backup_configs needs its arguments as a JSON object");
    // The keys its schema (GET /job_types) names, so the two cannot differ.
    static const json properties = backup_configs_arguments_schema()["properties"];
    for (auto& [key, value] : args.items()) {
        if (properties.contains(key)) continue;
        std::string keys;
        for (auto& [name, schema] : properties.items()) keys += (keys.empty() ? "" : ", ") + name;
        throw std::invalid_argument("backup_configs takes a device selector only (" + keys + "), not '" + key + "'");
    }
    auto selector = devices::selector_from_json(args);
    selector.resync = true;  // a backup is of every managed device, synchronized or not
    return selector;
}

// What a backup did with a device ("backup" in its result).
enum class Outcome { stored, unchanged, failed, not_started };
constexpr Outcome kOutcomes[] = {Outcome::stored, Outcome::unchanged, Outcome::failed, Outcome::not_started};

const char* to_string(Outcome o) {
    switch (o) {
        case Outcome::stored: return "stored";
        case Outcome::unchanged: return "unchanged";
        case Outcome::failed: return "failed";
        case Outcome::not_started: return "not started";
    }
    return "not started";
}

struct BackupWork : DeviceSlot {
    // Set by the device's thread under BackupJob::history_mutex_: a device
    // that timed out may still be recording while the job ends.
    std::optional<Recorded> recorded;
};

// `recorded`: the device's record, read once under the job's history lock.
Outcome outcome_of(const BackupWork& w, const std::optional<Recorded>& recorded) {
    if (w.skipped) return Outcome::not_started;
    if (w.failed) return Outcome::failed;
    if (!recorded) return Outcome::not_started;
    return recorded->stored ? Outcome::stored : Outcome::unchanged;
}

class BackupJob : public DeviceJobOf<BackupWork> {
public:
    BackupJob(JobContext& ctx, SyncEnvironment& env, devices::DeviceSelector selector)
        : DeviceJobOf(ctx, env), selector_(std::move(selector)) {}

private:
    void body() override {
        load(selector_);
        fan_out({"reading", true, true}, [this](std::size_t i, devices::DeviceContext& dc) { back_up(i, dc); });
        summarise();
        ctx_.check_abort();  // an aborted backup ends ABORTED, with what it stored
    }

    void back_up(std::size_t i, devices::DeviceContext& dc) {
        std::string config = connect(i, dc).driver().running_config();
        devices::ConfigEntry entry{work_[i].device.hostname, std::move(config), ctx_.job().id, "read"};
        // One connection for the job's records, one device at a time: a
        // record is one short transaction, the device's SSH read is the cost.
        std::lock_guard lock(history_mutex_);
        auto recorded = record(entry);
        if (!recorded) throw std::runtime_error("the device is not in the inventory any more");
        work_[i].recorded = recorded;
    }

    // A connection the database dropped (a restart, a failover) stays broken:
    // kept, it would fail every device read after it. So it is dropped, and
    // the record tried once more on a new one; a second loss fails the device.
    // Under history_mutex_.
    std::optional<Recorded> record(const devices::ConfigEntry& entry) {
        for (int attempt = 1;; ++attempt) {
            try {
                if (!history_conn_) history_conn_ = env_.connect();
                return devices::ConfigHistory(*history_conn_).record_if_changed(entry);
            } catch (const pqxx::broken_connection&) {
                history_conn_.reset();
                if (attempt == 2) throw;
            }
        }
    }

    std::optional<Recorded> recorded(std::size_t i) const {
        std::lock_guard lock(history_mutex_);
        return work_[i].recorded;
    }

    json device_result(std::size_t i) const override {
        const auto& w = work_[i];
        auto r = recorded(i);
        Outcome what = outcome_of(w, r);
        std::string message = w.message;
        if (what == Outcome::stored) message = "stored as config " + std::to_string(r->id);
        else if (what == Outcome::unchanged) message = "unchanged since config " + std::to_string(r->id);
        else if (what == Outcome::failed && r)
            message += "; its config was recorded as config " + std::to_string(r->id) + " before that";
        json task = {{"task_name", "Backup device config"}, {"result", message}, {"diff", ""}, {"failed", w.failed}};
        return {{"failed", w.failed},
                {"backup", to_string(what)},
                {"config_id", r ? json(r->id) : json(nullptr)},
                {"job_tasks", json::array({task})}};
    }

    void summarise() {
        json counts = json::object();
        for (Outcome o : kOutcomes) counts[to_string(o)] = 0;
        for (std::size_t i = 0; i < work_.size(); ++i) {
            auto& count = counts[to_string(outcome_of(work_[i], recorded(i)))];
            count = count.get<int>() + 1;
        }
        set_result_field("backup", counts);
    }

    devices::DeviceSelector selector_;
    mutable std::mutex history_mutex_;
    std::unique_ptr<pqxx::connection> history_conn_;  // under history_mutex_
};

}  // namespace

void register_backup_task(TaskRegistry& registry, SyncEnvironmentFactory factory) {
    registry.add({.function_name = "backup_configs",
                  .run =
                      [factory](JobContext& ctx) {
                          auto selector = parse_backup_selector(ctx.args());
                          BackupJob(ctx, *device_environment(factory), std::move(selector)).run();
                      },
                  // It only reads and records what it read: run again, it
                  // records what is new since.
                  .retry_safe = true,
                  .default_max_attempts = 2,
                  .description = "reads the running config of devices into their config history, storing it only "
                                 "when it changed since the newest record (changes no device, takes no lock)",
                  .arguments_schema = backup_configs_arguments_schema(),
                  .check_arguments = [](const json& args) { parse_backup_selector(args); },
                  .locks = {},
                  .device_count = named_device_count});
}

}  // namespace switchyard::tasks
