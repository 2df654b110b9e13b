// Reading a page of GET /jobs: the jobs' documents (JSON text) and the count
// of matching jobs, with ended jobs' documents from the cache
// (job_document_cache.h).
//
// The usual page is one statement in its own snapshot, one round trip: the
// count rides on each row (jobs_page_statement), and PostgreSQL builds the
// documents of the jobs that may still change only. A page the cache cannot
// complete, and an empty page (no row carries the count), are read again in
// one repeatable-read transaction: the page, the count and the documents the
// cache lacks, which are then kept. Either way the count, the page and every
// document are of one snapshot, and a running job shows its last write.
#pragma once

#include "job_document_cache.h"
#include "jobs_query.h"
#include "store/database.h"

#include <pqxx/pqxx>

#include <string_view>
#include <vector>

namespace switchyard::api {

struct JobsPage {
    std::vector<std::string_view> documents;  // in page order
    long total = 0;
    // What `documents` shows: the rows read, the cache's texts.
    pqxx::result rows;
    std::vector<JobDocumentCache::Text> held;
};

JobsPage read_jobs_page(store::ConnectionPool& pool, JobDocumentCache& cache, const JobsQuery& query);

}  // namespace switchyard::api
