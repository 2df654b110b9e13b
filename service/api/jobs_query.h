// GET /jobs query parameters -> a validated query -> parameterised SQL.
//
// Columns and sort directions come only from a fixed table of fields; every
// value a client sends travels as a statement parameter. Anything not in the
// table (unknown parameter, field, operator, sort) is a BadRequest naming it.
#pragma once

#include "http_message.h"
#include "request_errors.h"

#include <optional>
#include <string>
#include <vector>

namespace switchyard::api {

struct JobsQuery {
    struct Filter {
        std::string column;
        bool contains = false;
        std::string value;
    };
    int page = 1;
    int per_page = 50;
    std::vector<Filter> filters;
    std::string sort_column = "id";
    bool descending = false;
    bool omit_config = false;  // filter_jobresult=config: drop per-device generated configs
    bool omit_diff = false;    // filter_jobresult=diff: drop per-device diffs
};

JobsQuery parse_jobs_query(const QueryParams& params);

struct Statement {
    std::string sql;
    std::vector<std::string> params;
};

// The page of jobs (one JSON text per row, from the view job_documents) and
// the count of matching rows.
Statement jobs_page_statement(const JobsQuery& query);
Statement jobs_count_statement(const JobsQuery& query);

// Strictly parses a whole number in [min, max]; BadRequest naming `what`.
long long parse_int(const std::string& text, long long min, long long max, const std::string& what);
// BadRequest unless `text` is valid UTF-8 without NUL.
void require_utf8(const std::string& text, const std::string& what);

}  // namespace switchyard::api
