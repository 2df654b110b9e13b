// What device jobs need from the service, as an interface: tasks/ never
// includes service/ (the service implements this, see service/sync_access.h).
#pragma once

#include "devices/confirm_mode.h"
#include "devices/defaults.h"
#include "devices/device_fanout.h"
#include "devices/host_key_store.h"
#include "devices/inventory.h"
#include "devices/recovery_target.h"
#include "devices/ssh_session.h"
#include "templates/render.h"

#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>

namespace switchyard::tasks {

// SSH options for one job's devices. Under accept-new, options.host_key_store
// points at `host_keys`, which works on a connection of its own; the three
// live (and move) together for the whole job. Members are destroyed in
// reverse order: the store before its connection.
struct SshAccess {
    devices::SshOptions options;
    std::unique_ptr<pqxx::connection> host_key_connection;
    std::unique_ptr<devices::HostKeyStore> host_keys;
};

class SyncEnvironment {
public:
    virtual ~SyncEnvironment() = default;
    virtual std::unique_ptr<pqxx::connection> connect() = 0;
    // Throws when no login is configured for the device (a per-device failure).
    virtual devices::Credentials credentials_for(const devices::Device& device) = 0;
    virtual SshAccess ssh_access() = 0;
    virtual devices::FanoutOptions fanout_options() = 0;
    virtual templates::RenderSources render_sources() = 0;
    // Where a job renders from, given its arguments (which may name the
    // template and settings commits it was scheduled with).
    virtual templates::RenderSources render_sources_for(const nlohmann::json& /*job_args*/) { return render_sources(); }
    // How long a live sync waits for the locks of its devices.
    virtual std::chrono::milliseconds lock_wait() = 0;
    virtual std::chrono::seconds confirm_timer() = 0;
    // auto_push pushes a one-device dry run whose change score is under this.
    virtual int auto_push_max_score() = 0;
    // What a recovery job brings a device a job left mid-change to.
    virtual devices::RecoveryTarget on_interrupted() = 0;
    // The confirm_mode a sync gets when its arguments name none.
    virtual devices::ConfirmMode default_confirm_mode() = 0;
    // A device's diff larger than this leaves the job's result (stored whole
    // beside it, summarised in it).
    virtual std::size_t result_diff_max_bytes() { return devices::defaults::kResultDiffMaxBytes; }
    virtual std::size_t result_diffs_max_bytes() { return devices::defaults::kResultDiffsMaxBytes; }
    // How often a job writes what its finished devices left (their configs),
    // as its progress: the engine's progress flush interval.
    virtual std::chrono::milliseconds text_flush_interval() { return std::chrono::seconds(2); }
};

using SyncEnvironmentFactory = std::function<std::shared_ptr<SyncEnvironment>()>;

// The environment a device job runs in, from `factory`; throws when this
// process was started without device access (a job of a device kind claimed
// by a process that cannot reach devices).
inline std::shared_ptr<SyncEnvironment> device_environment(const SyncEnvironmentFactory& factory) {
    auto env = factory();
    if (!env) throw std::runtime_error("device access is not configured in this process");
    return env;
}

// Registers `sync_devices` (shown as `sync_devices (dry_run)` for a dry run),
// `confirm_devices` (the follow-up of a confirm_mode 2 sync),
// `backup_configs` (running configs into config history) and
// `recover_devices` (the recovery of a job that ended abnormally mid-change,
// with its recovery hook), `roll_back_unconfirmed` (the confirm timer of a
// device without one of its own), and the maintenance of what they keep (config
// history, the change journal). The factory is asked for
// the environment when a job runs (settings are known by then).
void register_sync_tasks(class TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
