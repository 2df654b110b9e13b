// What device sync jobs need from the service, as an interface: tasks/ never
// includes service/ (the service implements this, see service/sync_access.h).
#pragma once

#include "devices/fanout_pool.h"
#include "devices/host_key_store.h"
#include "devices/inventory.h"
#include "devices/ssh_session.h"
#include "templates/render.h"

#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/pqxx>

namespace switchyard::tasks {

class SyncEnvironment {
public:
    virtual ~SyncEnvironment() = default;
    virtual std::unique_ptr<pqxx::connection> connect() = 0;
    // Throws when no login is configured for the device (a per-device failure).
    virtual devices::Credentials credentials_for(const devices::Device& device) = 0;
    // With the host-key store set for accept-new; valid while `keep` lives.
    virtual devices::SshOptions ssh_options(std::shared_ptr<void>& keep) = 0;
    virtual devices::FanoutOptions fanout_options() = 0;
    virtual templates::RenderSources render_sources() = 0;
    // How long a live sync waits for the `devices` lock.
    virtual std::chrono::milliseconds lock_wait() = 0;
    virtual std::chrono::seconds confirm_timer() = 0;
    // auto_push pushes a one-device dry run whose change score is under this.
    virtual int auto_push_max_score() = 0;
};

using SyncEnvironmentFactory = std::function<std::shared_ptr<SyncEnvironment>()>;

// Registers `sync_devices`, `sync_devices (dry_run)` and `confirm_devices`
// (the follow-up of a confirm_mode 2 sync). The factory is asked for the
// environment when a job runs (settings are known by then).
void register_sync_tasks(class TaskRegistry& registry, SyncEnvironmentFactory factory);

}  // namespace switchyard::tasks
