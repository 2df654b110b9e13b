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
//
// An ended job's document is read in pieces: its outline, then its result's
// devices a row each (jobs/tagged_outline.sql, jobs/result_entries.sql), and
// kept as those rows, never joined: an ended 10,000-device sync's document is
// 13.6 MB, and read as one value it cost libpq a 16 MB buffer besides the
// result that held it (serve's peak rose by 39 MB when a page read it as the
// job ended, bench/sync).
#pragma once

#include "job_document_cache.h"
#include "jobs_query.h"
#include "pieced_text.h"
#include "store/database.h"

#include <pqxx/pqxx>

#include <vector>

namespace switchyard::api {

struct JobsPage {
    // In page order, each in row_documents or in a held text of the cache's:
    // a page points at a cached document's pieces instead of copying them
    // (two views a device: 320 KB for a 10,000-device job, on every page).
    std::vector<const PiecedText*> documents;
    long total = 0;
    // What `documents` shows: the rows read (row_documents views them: jobs
    // that may still change), the cache's texts. A move keeps every address.
    pqxx::result rows;
    std::vector<PiecedText> row_documents;
    std::vector<JobDocumentCache::Text> held;

    JobsPage() = default;
    JobsPage(JobsPage&&) = default;
    JobsPage& operator=(JobsPage&&) = default;
    JobsPage(const JobsPage&) = delete;  // documents would point into the original
    JobsPage& operator=(const JobsPage&) = delete;
};

JobsPage read_jobs_page(store::ConnectionPool& pool, JobDocumentCache& cache, const JobsQuery& query);

}  // namespace switchyard::api
