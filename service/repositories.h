// Templates and settings from git, as CNaaS-NMS keeps them (src/cnaas_nms/
// db/git.py): sync.templates_repo and sync.settings_repo name a remote
// branch; a refresh fetches it, renders every managed device from the new
// commit and, only when all render, makes it the commit the repository
// renders from (table repository_commits, shared by every serve on the
// database). A sync job records the commits current when it is scheduled
// (start_arguments.repository_commits) and renders from exactly those, even
// when a refresh lands while it runs. A repository without a url is the
// directory sync.templates_dir / sync.settings_dir (or the bundled one).
#pragma once

#include "settings.h"
#include "store/database.h"
#include "templates/git_mirror.h"
#include "templates/render.h"

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <optional>
#include <string>
#include <vector>

namespace switchyard {

enum class Repository { templates, settings };

const char* to_string(Repository r);
std::optional<Repository> repository_from_string(const std::string& name);

// True when the repository comes from git (its url is set).
bool from_git(const Settings& settings, Repository r);

// The commits repositories from git render from now: {"templates": sha,
// "settings": sha}, each only when from git and refreshed once; {} when none.
nlohmann::json current_commits(pqxx::transaction_base& tx, const Settings& settings);

// Where to render from, for commits recorded as current_commits() wrote
// them (a repository from git missing from `commits` uses its current
// commit). Throws templates::TemplateError naming what is missing (a
// repository never refreshed) or could not be fetched.
templates::RenderSources render_sources_for(const Settings& settings, pqxx::connection& conn,
                                            const nlohmann::json& commits);

struct RefreshOutcome {
    bool refreshed = false;
    templates::GitCommit commit;                              // what was fetched
    std::vector<std::pair<std::string, std::string>> failed;  // hostname, why: the commit was refused
};

// Fetches the repository's branch, renders every managed device with it
// (the other repository at its current commit) and, when none fails, makes
// it current. Borrows connections from `pool` only for its statements.
// Throws templates::GitError when the fetch fails, and
// templates::TemplateError when the repository is not from git.
RefreshOutcome refresh_repository(const Settings& settings, store::ConnectionPool& pool, Repository r,
                                  const std::string& who);

}  // namespace switchyard
