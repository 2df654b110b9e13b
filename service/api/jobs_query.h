// GET /jobs query parameters -> a validated query -> parameterised SQL.
//
// Columns and sort directions come only from a fixed table of fields; every
// value a client sends travels as a statement parameter. Anything not in the
// table (unknown parameter, field, operator, sort) is a BadRequest naming it.
//
// As CNaaS-NMS (src/cnaas_nms/api/generic.py build_filter): filter[<any job
// column>]=v compares, filter[<column>][contains]=v matches a part of the
// text, refused only on enum, integer and time columns; "function.name" is
// "function_name". Beyond it: a time is the span its precision names
// (time_filter.h), a JSON column compares as JSON, and [contains] matches
// literally (CNaaS-NMS passes % and _ through as wildcards).
#pragma once

#include "http_message.h"
#include "job_result_tasks.h"
#include "request_errors.h"

#include <optional>
#include <string>
#include <vector>

namespace switchyard::api {

struct JobsQuery {
    struct Filter {
        enum class Op { equals, contains, within };
        std::string column;
        Op op = Op::equals;
        std::string value;   // within: the span's start
        std::string length;  // within: the span's length (an interval)
        bool json = false;   // a jsonb column: equals compares JSON, contains its text
    };
    int page = 1;
    int per_page = 50;
    std::vector<Filter> filters;
    std::string sort_column = "id";
    bool descending = false;
    // filter_jobresult=config,diff: the sync result tasks CNaaS-NMS drops
    // (src/cnaas_nms/api/jobs.py filter_job_dict): "Generate device config"
    // and "Sync device config" of each device, for sync_devices jobs.
    ResultOmissions omit;
};

JobsQuery parse_jobs_query(const QueryParams& params);

struct Statement {
    std::string sql;
    std::vector<std::string> params;
};

// Whether the page reads ended jobs' documents or leaves them to the cache
// of ended jobs (job_document_cache.h).
enum class EndedDocuments { read, cached };

// The page of jobs, from the view job_documents: columns total (the count of
// matching jobs, jobs_count_statement's, on every row: one statement, one
// snapshot), id, row_version and document (the job's JSON text; NULL for an
// ended job, FINISHED, EXCEPTION or ABORTED, when `ended` is cached:
// PostgreSQL then never builds it).
Statement jobs_page_statement(const JobsQuery& query, EndedDocuments ended = EndedDocuments::read);
// The count of matching jobs (for a page with no row to carry it).
Statement jobs_count_statement(const JobsQuery& query);

// Strictly parses a whole number in [min, max]; BadRequest naming `what`.
long long parse_int(const std::string& text, long long min, long long max, const std::string& what);
// BadRequest unless `text` is valid UTF-8 without NUL.
void require_utf8(const std::string& text, const std::string& what);

}  // namespace switchyard::api
