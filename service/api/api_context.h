// What the API's routes share.
#pragma once

#include "auth.h"
#include "event_hub.h"
#include "job_document_cache.h"
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
                 static_cast<std::size_t>(settings.api.event_buffer_bytes)),
          job_documents(static_cast<std::size_t>(settings.api.job_cache_bytes)) {}

    Settings settings;
    const tasks::TaskRegistry& registry;
    std::string url;
    store::ConnectionPool pool;
    AuthConfig auth;
    EventHub events;
    RequestMetrics metrics;
    JobDocumentCache job_documents;
};

}  // namespace switchyard::api
