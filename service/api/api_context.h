// What the API's routes share.
#pragma once

#include "auth.h"
#include "event_hub.h"
#include "request_metrics.h"
#include "settings.h"
#include "store/database.h"
#include "tasks/task_registry.h"

namespace switchyard::api {

struct ApiContext {
    ApiContext(Settings s, const tasks::TaskRegistry& r, std::string database_url, AuthConfig a)
        : settings(std::move(s)),
          registry(r),
          url(std::move(database_url)),
          pool(url, settings.database.pool_size, settings.database.connect_timeout_seconds),
          auth(std::move(a)),
          events(url, settings.database.connect_timeout_seconds,
                 static_cast<std::size_t>(settings.api.event_buffer_bytes)) {}

    Settings settings;
    const tasks::TaskRegistry& registry;
    std::string url;
    store::ConnectionPool pool;
    AuthConfig auth;
    EventHub events;
    RequestMetrics metrics;
};

}  // namespace switchyard::api
