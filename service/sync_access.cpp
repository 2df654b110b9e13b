#include "sync_access.h"

#include "device_access.h"
#include "host_key_access.h"
#include "repositories.h"
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
    // The repositories' current commits (service/repositories.h).
    templates::RenderSources render_sources() override { return render_sources_for(nlohmann::json::object()); }
    // The commits the job recorded. Nothing is kept: serve gives every job
    // this one environment (SyncJob resolves its sources once per job).
    templates::RenderSources render_sources_for(const nlohmann::json& job_args) override {
        nlohmann::json commits = job_args.is_object() && job_args.contains("repository_commits")
                                     ? job_args["repository_commits"]
                                     : nlohmann::json::object();
        auto conn = connect();
        return switchyard::render_sources_for(settings_, *conn, commits);
    }
    std::chrono::milliseconds lock_wait() override { return std::chrono::seconds(settings_.sync.lock_wait_seconds); }
    std::chrono::seconds confirm_timer() override { return std::chrono::seconds(settings_.sync.confirm_timer_seconds); }
    int auto_push_max_score() override { return settings_.sync.auto_push_max_score; }
    devices::RecoveryTarget on_interrupted() override { return settings_.sync.on_interrupted; }
    devices::ConfirmMode default_confirm_mode() override { return settings_.sync.default_confirm_mode; }
    std::chrono::milliseconds text_flush_interval() override { return settings_.jobs.progress_flush_ms; }
    std::size_t result_diff_max_bytes() override {
        return static_cast<std::size_t>(settings_.sync.result_diff_max_bytes);
    }
    std::size_t result_diffs_max_bytes() override {
        return static_cast<std::size_t>(settings_.sync.result_diffs_max_bytes);
    }

private:
    Settings settings_;
    std::string url_;
};

}  // namespace

std::shared_ptr<tasks::SyncEnvironment> make_sync_environment(const Settings& settings, const std::string& url) {
    return std::make_shared<ServiceSyncEnvironment>(settings, url);
}

}  // namespace switchyard
