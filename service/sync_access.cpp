#include "sync_access.h"

#include "device_access.h"
#include "host_key_access.h"
#include "store/database.h"

namespace switchyard {
namespace {

class ServiceSyncEnvironment : public tasks::SyncEnvironment {
public:
    ServiceSyncEnvironment(Settings settings, std::string url) : settings_(std::move(settings)), url_(std::move(url)) {}

    std::unique_ptr<pqxx::connection> connect() override {
        return store::connect(url_, settings_.database.connect_timeout_seconds);
    }
    devices::Credentials credentials_for(const devices::Device& device) override {
        return switchyard::credentials_for(settings_, device);
    }
    tasks::SshAccess ssh_access() override {
        tasks::SshAccess access{switchyard::ssh_options(settings_), nullptr, nullptr};
        if (access.options.host_key_policy == devices::HostKeyPolicy::accept_new) {
            // The store lives on a connection of its own for the whole job.
            access.host_key_connection = connect();
            access.host_keys = open_host_key_store(*access.host_key_connection);
            access.options.host_key_store = access.host_keys.get();
        }
        return access;
    }
    devices::FanoutOptions fanout_options() override { return switchyard::fanout_options(settings_); }
    templates::RenderSources render_sources() override {
        templates::RenderSources s;
        if (!settings_.sync.templates_dir.empty()) s.templates_dir = settings_.sync.templates_dir;
        if (!settings_.sync.settings_dir.empty()) s.settings_dir = settings_.sync.settings_dir;
        return s;
    }
    std::chrono::milliseconds lock_wait() override { return std::chrono::seconds(settings_.sync.lock_wait_seconds); }
    std::chrono::seconds confirm_timer() override { return std::chrono::seconds(settings_.sync.confirm_timer_seconds); }
    int auto_push_max_score() override { return settings_.sync.auto_push_max_score; }

private:
    Settings settings_;
    std::string url_;
};

}  // namespace

std::shared_ptr<tasks::SyncEnvironment> make_sync_environment(const Settings& settings, const std::string& url) {
    return std::make_shared<ServiceSyncEnvironment>(settings, url);
}

}  // namespace switchyard
