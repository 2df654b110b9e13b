// The service's side of device sync jobs: settings and the database, as the
// tasks' SyncEnvironment.
#pragma once

#include "settings.h"
#include "tasks/sync_environment.h"

namespace switchyard {

std::shared_ptr<tasks::SyncEnvironment> make_sync_environment(const Settings& settings,
                                                              const std::string& database_url);

}  // namespace switchyard
