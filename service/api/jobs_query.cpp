#include "jobs_query.h"

#include "defaults.h"
#include "engine/job_status.h"
#include "time_filter.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace switchyard::api {
namespace {

using nlohmann::json;

enum class Kind { integer, text, status, time, json };

struct Field {
    const char* name;
    Kind kind;
    bool sortable;
    bool in_view;  // a column of the view job_documents (else read from jobs)
    // Integers: the values the column can hold (its CHECK constraint or its
    // type), so that a filter outside them is a 400 naming the range rather
    // than an error from PostgreSQL (a 500).
    long long min = 0, max = 0;
};

constexpr long long kBigintMax = std::numeric_limits<std::int64_t>::max();
constexpr long long kIntegerMax = std::numeric_limits<std::int32_t>::max();

// The only columns a client can name: every column of CNaaS-NMS's job table
// (src/cnaas_nms/db/job.py class Job) and the engine's beside them.
constexpr std::array<Field, 27> kFields{{
    {"id", Kind::integer, true, true, 1, kBigintMax},
    {"status", Kind::status, true, true},
    {"scheduled_time", Kind::time, true, true},
    {"start_time", Kind::time, true, true},
    {"finish_time", Kind::time, true, true},
    {"function_name", Kind::text, true, true},
    {"scheduled_by", Kind::text, true, true},
    {"comment", Kind::text, false, true},
    {"ticket_ref", Kind::text, false, true},
    {"next_job_id", Kind::integer, false, true, 1, kBigintMax},
    {"result", Kind::json, false, false},
    {"exception", Kind::json, false, false},
    {"finished_devices", Kind::json, false, false},
    {"change_score", Kind::integer, true, true, 0, 100},
    {"start_arguments", Kind::json, false, false},
    {"queue", Kind::text, false, true},
    {"priority", Kind::integer, true, true, 1, 10},
    {"attempt", Kind::integer, false, false, 0, kIntegerMax},
    {"max_attempts", Kind::integer, false, false, 1, 100},
    {"errors", Kind::json, false, false},
    {"timeout_seconds", Kind::integer, false, false, 1, kIntegerMax},
    {"idempotency_key", Kind::text, false, false},
    {"worker_id", Kind::integer, false, false, 1, kBigintMax},
    {"progress", Kind::json, false, false},
    {"created_time", Kind::time, false, false},
    {"abort_reason", Kind::text, false, false},
    {"aborted_by", Kind::text, false, false},
}};

constexpr std::size_t kMaxValueLength = 1000;

const Field* find_field(const std::string& name) {
    for (auto& f : kFields)
        if (name == f.name) return &f;
    return nullptr;
}

std::string field_list(bool sortable) {
    std::string out;
    for (auto& f : kFields)
        if (!sortable || f.sortable) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
}

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::integer: return "integer";
        case Kind::status: return "enum";
        case Kind::time: return "date and time";
        default: return "text";
    }
}

// For ILIKE: the value matches literally.
std::string escape_like(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '%' || c == '_') out += '\\';
        out += c;
    }
    return out;
}

JobsQuery::Filter parse_filter(const std::string& key, const std::string& value) {
    // filter[field] or filter[field][contains]
    auto close = key.find(']');
    if (key.size() < 9 || close == std::string::npos)
        throw BadRequest("malformed filter parameter '" + key +
                         "': use filter[field]=value or filter[field][contains]=value");
    std::string name = key.substr(7, close - 7);
    std::string rest = key.substr(close + 1);
    require_utf8(name, "filter field name");
    // CNaaS-NMS's documentation writes filter[function.name] (generic.py
    // turns '.' into '_').
    std::replace(name.begin(), name.end(), '.', '_');
    const Field* field = find_field(name);
    if (!field) throw BadRequest("unknown filter field '" + name + "' (filterable: " + field_list(false) + ")");
    JobsQuery::Filter f{field->name, JobsQuery::Filter::Op::equals, value, "", field->kind == Kind::json};
    if (rest == "[contains]") {
        if (field->kind != Kind::text && field->kind != Kind::json)
            throw BadRequest("filter[" + name + "][contains]: 'contains' cannot be used on " + kind_name(field->kind) +
                             " fields");
        f.op = JobsQuery::Filter::Op::contains;
    } else if (!rest.empty()) {
        throw BadRequest("unknown filter operator '" + rest + "' (only [contains])");
    }
    require_utf8(value, "filter[" + name + "]");
    if (value.size() > kMaxValueLength)
        throw BadRequest("filter[" + name + "] is longer than " + std::to_string(kMaxValueLength) + " characters");
    if (f.op == JobsQuery::Filter::Op::contains) return f;
    switch (field->kind) {
        case Kind::integer:
            f.value = std::to_string(parse_int(value, field->min, field->max, "filter[" + name + "]"));
            break;
        case Kind::status: {
            std::string upper = value;
            std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
            if (!engine::job_status_from_string(upper))
                throw BadRequest("filter[status] must be one of " + engine::job_status_names());
            f.value = upper;
            break;
        }
        case Kind::time: {
            auto span = parse_time_span(value);
            if (!span)
                throw BadRequest("filter[" + name +
                                 "] must be a date or date and time (2024-05-01, 2024-05-01T10:30, "
                                 "2024-05-01T10:30:00.5+02:00); it matches the whole day, minute, ... it names");
            f.op = JobsQuery::Filter::Op::within;
            f.value = span->start;
            f.length = span->length;
            break;
        }
        case Kind::json: {
            auto parsed = json::parse(value, nullptr, false);
            if (parsed.is_discarded())
                throw BadRequest("filter[" + name +
                                 "] compares JSON: give a JSON value (\"text\", 3, [\"sw1\"], {...}) or "
                                 "use filter[" +
                                 name + "][contains]");
            f.value = parsed.dump();
            break;
        }
        case Kind::text: break;
    }
    return f;
}

// The condition on jobs' own columns for one filter, its values appended
// to `params`.
std::string condition(const JobsQuery::Filter& f, std::vector<std::string>& params) {
    auto next = [&](std::string v) {
        params.push_back(std::move(v));
        return "$" + std::to_string(params.size());
    };
    using Op = JobsQuery::Filter::Op;
    if (f.op == Op::contains) {
        std::string column = f.json ? f.column + "::text" : f.column;
        return column + " ILIKE '%' || " + next(escape_like(f.value)) + " || '%'";
    }
    if (f.op == Op::within) {
        std::string start = next(f.value), length = next(f.length);
        return "(" + f.column + " >= " + start + "::timestamptz AND " + f.column + " < " + start + "::timestamptz + " +
               length + "::interval)";
    }
    // Every integer as bigint: one cast for every column width (smallint,
    // integer and bigint compare across widths); the value is already within
    // its column's range (kFields), so the statement cannot fail on it.
    std::string cast = f.json ? "::jsonb" : find_field(f.column)->kind == Kind::integer ? "::bigint" : "";
    return f.column + " = " + next(f.value) + cast;
}

// WHERE for `from_view`: the view job_documents (columns it lacks are
// reached through jobs by id) or the table jobs itself.
std::string where_clause(const JobsQuery& q, std::vector<std::string>& params, bool from_view) {
    std::string where;
    std::string outside;  // conditions on columns the view does not have
    for (auto& f : q.filters) {
        std::string c = condition(f, params);
        if (!from_view || find_field(f.column)->in_view) {
            where += (where.empty() ? " WHERE " : " AND ") + c;
        } else {
            outside += (outside.empty() ? "" : " AND ") + c;
        }
    }
    if (!outside.empty())
        where +=
            (where.empty() ? " WHERE " : " AND ") + std::string("id IN (SELECT id FROM jobs WHERE ") + outside + ")";
    return where;
}

}  // namespace

long long parse_int(const std::string& text, long long min, long long max, const std::string& what) {
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw BadRequest(what + " must be a whole number");
    if (v < min || v > max)
        throw BadRequest(what + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return v;
}

void require_utf8(const std::string& text, const std::string& what) {
    if (text.find('\0') != std::string::npos) throw BadRequest(what + " is not valid UTF-8");
    // nlohmann's strict serialiser validates UTF-8 (overlong forms and
    // surrogates included).
    try {
        (void)nlohmann::json(text).dump();
    } catch (const nlohmann::json::type_error&) {
        throw BadRequest(what + " is not valid UTF-8");
    }
}

JobsQuery parse_jobs_query(const QueryParams& params) {
    JobsQuery q;
    std::set<std::string> seen;
    for (auto& [key, value] : params) {
        if (!seen.insert(key).second) throw BadRequest("query parameter '" + key + "' given more than once");
        if (key == "page") {
            q.page = static_cast<int>(parse_int(value, 1, 10'000'000, "page"));
        } else if (key == "per_page") {
            q.per_page = static_cast<int>(parse_int(value, 1, defaults::kApiPerPageMax, "per_page"));
        } else if (key == "sort") {
            std::string name = value;
            q.descending = !name.empty() && name[0] == '-';
            if (q.descending) name = name.substr(1);
            require_utf8(name, "sort");
            const Field* field = find_field(name);
            if (!field || !field->sortable)
                throw BadRequest("cannot sort by '" + name + "' (sortable: " + field_list(true) + ")");
            q.sort_column = field->name;
        } else if (key == "filter_jobresult") {
            std::size_t start = 0;
            while (start <= value.size()) {
                auto comma = value.find(',', start);
                std::string part = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (part == "config") q.omit.config = true;
                else if (part == "diff") q.omit.diff = true;
                else {
                    require_utf8(part, "filter_jobresult");
                    throw BadRequest("filter_jobresult takes config and/or diff, not '" + part + "'");
                }
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (key.rfind("filter[", 0) == 0) {
            q.filters.push_back(parse_filter(key, value));
        } else {
            require_utf8(key, "query parameter name");
            throw BadRequest("unknown query parameter '" + key + "'");
        }
    }
    return q;
}

Statement jobs_page_statement(const JobsQuery& q, EndedDocuments ended) {
    // The count first: the page's placeholders follow its own. An
    // uncorrelated subquery, PostgreSQL computes it once.
    Statement s = jobs_count_statement(q);
    std::string total = "(" + s.sql + ") AS total";
    std::string document = "document";
    if (ended == EndedDocuments::cached) {
        // The ended states from the engine's own list (statuses are
        // constants, never input). The view is flattened into this
        // statement, and CASE evaluates only the branch taken, so an ended
        // row's JSON is never built.
        std::string final_states;
        for (auto status : engine::kAllJobStatuses)
            if (engine::is_final(status))
                final_states += (final_states.empty() ? "'" : ", '") + std::string(engine::to_string(status)) + "'";
        document = "CASE WHEN status IN (" + final_states + ") THEN NULL ELSE document END";
    }
    std::string where = where_clause(q, s.params, true);
    std::string dir = q.descending ? " DESC" : " ASC";
    s.params.push_back(std::to_string(q.per_page));
    std::string limit = "$" + std::to_string(s.params.size());
    s.params.push_back(std::to_string(static_cast<long long>(q.page - 1) * q.per_page));
    std::string offset = "$" + std::to_string(s.params.size());
    s.sql = "SELECT " + total + ", id, row_version, " + document + " AS document FROM job_documents" + where +
            " ORDER BY " + q.sort_column + dir + (q.sort_column == "id" ? "" : ", id" + dir) + " LIMIT " + limit +
            "::bigint OFFSET " + offset + "::bigint";
    return s;
}

Statement jobs_count_statement(const JobsQuery& q) {
    Statement s;
    bool counted = std::all_of(q.filters.begin(), q.filters.end(), [](const JobsQuery::Filter& f) {
        return f.op == JobsQuery::Filter::Op::equals && (f.column == "status" || f.column == "function_name");
    });
    if (!counted) {
        s.sql = "SELECT count(*) FROM jobs" + where_clause(q, s.params, false);
        return s;
    }
    // The maintained counts (tables job_counts and job_count_deltas): exact, without scanning jobs.
    std::string where = where_clause(q, s.params, false);
    s.sql = "SELECT coalesce((SELECT sum(n) FROM job_counts" + where +
            "), 0) + coalesce((SELECT sum(n) FROM job_count_deltas" + where + "), 0)";
    return s;
}

}  // namespace switchyard::api
