#include "repositories.h"

#include "devices/device_store.h"
#include "devices/secret_masker.h"
#include "store/queries.h"

#include <pqxx/pqxx>

namespace switchyard {
namespace {

const GitRepository& repo_settings(const Settings& s, Repository r) {
    return r == Repository::templates ? s.sync.templates_repo : s.sync.settings_repo;
}

templates::GitRemote remote_of(const Settings& s, Repository r) {
    auto& c = repo_settings(s, r);
    return {c.url, c.branch, c.username, c.password, c.ssh_key_file, c.ssh_key_passphrase};
}

// One mirror per repository under the data directory.
templates::GitMirror mirror_of(const Settings& s, Repository r) {
    return templates::GitMirror(std::filesystem::path(s.data_dir) / "repositories" / to_string(r));
}

std::chrono::milliseconds git_timeout(const Settings& s) { return s.sync.git_timeout_seconds; }

// The directory of `r` at commit `sha` (from git) or its configured one.
std::string source_dir(const Settings& s, Repository r, const std::string& sha) {
    try {
        return mirror_of(s, r).tree(remote_of(s, r), sha, git_timeout(s)).string();
    } catch (const templates::GitError& e) {
        throw templates::TemplateError(std::string("the ") + to_string(r) + " repository at commit " + sha + ": " +
                                       e.what());
    }
}

void set_dir(templates::RenderSources& src, Repository r, std::string dir) {
    (r == Repository::templates ? src.templates_dir : src.settings_dir) = std::move(dir);
}

// The configured directories, for repositories not from git.
templates::RenderSources directories(const Settings& s) {
    templates::RenderSources src;
    if (!s.sync.templates_dir.empty()) src.templates_dir = s.sync.templates_dir;
    if (!s.sync.settings_dir.empty()) src.settings_dir = s.sync.settings_dir;
    return src;
}

}  // namespace

const char* to_string(Repository r) { return r == Repository::templates ? "templates" : "settings"; }

std::optional<Repository> repository_from_string(const std::string& name) {
    if (name == "templates") return Repository::templates;
    if (name == "settings") return Repository::settings;
    return std::nullopt;
}

bool from_git(const Settings& settings, Repository r) { return !repo_settings(settings, r).url.empty(); }

nlohmann::json current_commits(pqxx::transaction_base& tx, const Settings& settings) {
    nlohmann::json out = nlohmann::json::object();
    for (auto r : {Repository::templates, Repository::settings}) {
        if (!from_git(settings, r)) continue;
        if (auto row = store::sql::repositories::current(tx, {.name = to_string(r)}))
            out[to_string(r)] = row->commit_sha;
    }
    return out;
}

namespace {

// `commits` completed with the current commit of each repository from git
// that it does not name. Throws TemplateError for one never refreshed.
nlohmann::json commits_to_render(const Settings& settings, pqxx::connection& conn, const nlohmann::json& commits) {
    nlohmann::json out = nlohmann::json::object();
    nlohmann::json current;
    for (auto r : {Repository::templates, Repository::settings}) {
        if (!from_git(settings, r)) continue;
        if (commits.is_object() && commits.contains(to_string(r)) && commits[to_string(r)].is_string() &&
            !commits[to_string(r)].get_ref<const std::string&>().empty()) {
            out[to_string(r)] = commits[to_string(r)];
            continue;
        }
        if (current.is_null()) {
            pqxx::read_transaction tx(conn);
            current = current_commits(tx, settings);
        }
        if (!current.contains(to_string(r)))
            throw templates::TemplateError(std::string("the ") + to_string(r) +
                                           " repository was never refreshed: PUT /api/v1.0/repository/" + to_string(r) +
                                           " {\"action\": \"REFRESH\"}");
        out[to_string(r)] = current[to_string(r)];
    }
    return out;
}

// The directories of commits as commits_to_render() completed them (each
// fetched when the mirror does not have it yet: no database needed).
templates::RenderSources sources_at(const Settings& settings, const nlohmann::json& commits) {
    auto src = directories(settings);
    for (auto& [name, sha] : commits.items()) {
        auto r = *repository_from_string(name);
        set_dir(src, r, source_dir(settings, r, sha.get<std::string>()));
    }
    return src;
}

}  // namespace

templates::RenderSources render_sources_for(const Settings& settings, pqxx::connection& conn,
                                            const nlohmann::json& commits) {
    return sources_at(settings, commits_to_render(settings, conn, commits));
}

RefreshOutcome refresh_repository(const Settings& settings, store::ConnectionPool& pool, Repository r,
                                  const std::string& who) {
    if (!from_git(settings, r))
        throw templates::TemplateError(std::string("the ") + to_string(r) + " repository is not from git (set sync." +
                                       to_string(r) + "_repo.url)");
    RefreshOutcome out;
    // No database connection is held while the remote answers (up to
    // sync.git_timeout_seconds) or while the fleet renders: the pool is for
    // short statements.
    out.commit = mirror_of(settings, r).fetch(remote_of(settings, r), git_timeout(settings));
    // This repository at the new commit, the other as jobs would render it now.
    nlohmann::json commits = nlohmann::json::object();
    commits[to_string(r)] = out.commit.sha;
    auto [resolved, fleet] = pool.with([&](pqxx::connection& conn) {
        return std::pair{commits_to_render(settings, conn, commits), devices::DeviceStore(conn).list()};
    });
    auto sources = sources_at(settings, resolved);
    for (auto& device : fleet) {
        if (device.state != devices::DeviceState::MANAGED) continue;
        try {
            templates::render_device_config(device, sources);
        } catch (const std::exception& e) {
            out.failed.emplace_back(device.hostname, devices::safe_text(e.what()));
        }
    }
    if (!out.failed.empty()) return out;
    pool.with([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        store::sql::repositories::set_current(tx, {.name = to_string(r),
                                                   .commit_sha = out.commit.sha,
                                                   .description = out.commit.describe(),
                                                   .refreshed_by = who});
        tx.commit();
        return 0;
    });
    out.refreshed = true;
    return out;
}

}  // namespace switchyard
