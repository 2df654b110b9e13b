// GET /jobs, GET /job/<id>, PUT /job/<id> (ABORT, RETRY, SUSPEND, RESUME).
#include "defaults.h"
#include "engine/job_store.h"
#include "engine/job_suspend.h"
#include "engine/recovery.h"
#include "http_route.h"
#include "job_document_stream.h"
#include "job_result_tasks.h"
#include "jobs_page.h"
#include "placeholder_tag.h"

#include <algorithm>
#include <cctype>

namespace switchyard::api {
namespace {

using nlohmann::json;

std::int64_t job_id(const std::string& text) { return parse_int(text, 1, INT64_MAX, "the job id"); }

void omit_job_results(json& job, const JobsQuery& q) {
    if (!q.omit.any() || !ResultOmissions::applies_to(job)) return;
    for_each_result_device(job, [&](json& device) { q.omit.apply_to_device(device); });
}

// `doc` trimmed by filter_jobresult, as dump_json writes the whole job
// trimmed. A document whose devices came a row each (an ended job's, from
// the cache: PiecedText::device_members) is trimmed a device at a time: as
// one tree, a 10,000-device sync's 13.6 MB took several times that again, in
// each request that asked.
std::string trimmed_document(const PiecedText& doc, const JobsQuery& q) {
    if (!doc.device_members) {
        json job = json::parse(doc.joined());
        omit_job_results(job, q);
        return dump_json(job);
    }
    // The job without its devices, their place marked by a tag that no
    // string of the document can hold.
    json outline = json::parse(std::string(doc.head()) + "{}" + std::string(doc.tail()));
    const bool applies = ResultOmissions::applies_to(outline);
    const std::string tag = placeholder_tag();
    outline["result"]["devices"] = tag;
    const std::string outline_text = dump_json(outline);
    const auto at = outline_text.find('"' + tag + '"');
    if (at == std::string::npos) throw std::logic_error("the devices' place was lost in a job's document");
    // Each member "<hostname>": <entry>, trimmed and written as dump_json
    // writes it inside the whole object; in hostname order, as dump_json
    // orders an object's keys.
    std::vector<std::pair<std::string, std::string>> members;
    for (std::size_t k = 0; k < doc.member_count(); ++k) {
        json member = json::parse("{" + std::string(doc.member(k)) + "}");
        if (member.size() != 1) throw std::logic_error("a device of a job's document is not one member");
        if (applies) q.omit.apply_to_device(member.begin().value());
        std::string text = dump_json(member);
        members.emplace_back(member.begin().key(), text.substr(1, text.size() - 2));
    }
    std::sort(members.begin(), members.end());
    std::string out = outline_text.substr(0, at);
    out += '{';
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += ',';
        out += members[i].second;
    }
    out += '}';
    out.append(outline_text, at + tag.size() + 2);
    return out;
}

// Link header with rel="next" and rel="last", keeping the other parameters.
std::string link_header(const HttpRequest& req, const JobsQuery& q, long total) {
    long last = std::max(1L, (total + q.per_page - 1) / q.per_page);
    auto url_for = [&](long page) {
        std::string query = "page=" + std::to_string(page) + "&per_page=" + std::to_string(q.per_page);
        for (auto& [k, v] : req.params)
            if (k != "page" && k != "per_page") query += "&" + percent_encode(k) + "=" + percent_encode(v);
        return "<" + req.path + "?" + query + ">";
    };
    std::string link;
    if (q.page < last) link = url_for(q.page + 1) + "; rel=\"next\", ";
    return link + url_for(last) + "; rel=\"last\"";
}

constexpr std::string_view kPageHead = R"({"status":"success","data":{"jobs":[)";
constexpr std::string_view kPageTail = "]}}";

// A page sent from the documents as the page holds them (its rows, the
// cache's texts, in their pieces), a slice at a time, rather than copied into
// one body: a 10,000-device sync's document is 13.5 MB, and a body beside the
// rows and the cache's copy held it three times over while it was written.
class JobsPageStream : public ResponseStream {
public:
    explicit JobsPageStream(JobsPage page) : page_(std::move(page)) {}

    void open(std::function<void()>) override {}
    // Not that it blocks: a source that does is pulled again as soon as
    // its last slice is written (one that does not waits for a wake).
    bool pull_blocks() const override { return true; }

    Pull pull() override {
        Pull out;
        if (!head_sent_) {
            out.data = kPageHead;
            head_sent_ = true;
        }
        const auto& docs = page_.documents;
        while (out.data.size() < defaults::kJobTextBatchBytes && next_ < docs.size()) {
            const auto& pieces = docs[next_]->pieces;
            if (piece_ == 0 && offset_ == 0 && next_ > 0) out.data += ',';
            if (piece_ < pieces.size()) {
                auto text = pieces[piece_];
                auto n = std::min(text.size() - offset_, defaults::kJobTextBatchBytes - out.data.size());
                out.data.append(text.substr(offset_, n));
                offset_ += n;
                if (offset_ < text.size()) continue;
                ++piece_;
                offset_ = 0;
            }
            if (piece_ == pieces.size()) {
                ++next_;
                piece_ = 0;
            }
        }
        if (next_ == docs.size()) {
            out.data += kPageTail;
            out.end = true;
        }
        return out;
    }

    bool abandoned() override { return false; }
    void close() override {}

private:
    JobsPage page_;  // the views in documents stay valid as it moves
    bool head_sent_ = false;
    std::size_t next_ = 0;    // the document being sent
    std::size_t piece_ = 0;   // its piece being sent
    std::size_t offset_ = 0;  // how much of that piece is sent
};

void list_jobs(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    JobsQuery q = parse_jobs_query(req.params);
    auto page = read_jobs_page(ctx.pool, ctx.job_documents, q);
    // PostgreSQL already wrote each job as JSON: unless results must be
    // trimmed, pass that text through instead of parsing and re-serialising.
    bool trim = q.omit.any();
    std::size_t size = kPageHead.size() + kPageTail.size();
    for (const auto* text : page.documents) size += text->size() + 1;
    res.set_header("X-Total-Count", std::to_string(page.total));
    res.set_header("Link", link_header(req, q, page.total));
    res.status = 200;
    if (!trim && size > defaults::kJobTextBatchBytes) {
        res.content_type = "application/json";
        res.stream = std::make_shared<JobsPageStream>(std::move(page));
        return;
    }
    std::string body(kPageHead);
    body.reserve(size);
    bool first = true;
    for (const auto* text : page.documents) {
        if (!first) body += ',';
        first = false;
        if (!trim) {
            for (auto piece : text->pieces) body += piece;
            continue;
        }
        body += trimmed_document(*text, q);
    }
    body += kPageTail;
    res.set_content(std::move(body), "application/json");
}

void get_job(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
    auto id = job_id(req.path_args[0]);
    JobsQuery q = parse_jobs_query([&] {
        QueryParams only;
        for (auto& [k, v] : req.params) {
            if (k != "filter_jobresult") throw BadRequest("unknown query parameter '" + k + "'");
            only.emplace(k, v);
        }
        return only;
    }());
    // The job with filter_jobresult applied and the texts its result names
    // put back, a device at a time (job_document_stream.h).
    bool found =
        ctx.pool.with([&](pqxx::connection& conn) { return send_job_document(ctx.pool, conn, id, q.omit, res); });
    if (!found) throw NotFound("job " + std::to_string(id) + " not found");
}

void abort_job(ApiContext& ctx, std::int64_t id, const json& body, HttpResponse& res, const Principal& who) {
    std::string reason = "aborted via the API";
    if (body.contains("abort_reason")) {
        if (!body["abort_reason"].is_string()) throw BadRequest("field 'abort_reason' must be a string");
        reason = body["abort_reason"];
        if (reason.size() > 1000) throw BadRequest("abort_reason must be at most 1000 characters");
    }
    std::optional<json> after;
    auto out = ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        auto o = engine::abort_job(tx, id, reason, who.subject);
        // Ended at once: what it was to settle goes to a recovery job now,
        // in this transaction (an aborted confirm timer's unconfirmed
        // commit), as it would had the job been running.
        if (o.found && o.before == engine::JobStatus::scheduled && o.after == engine::JobStatus::aborted)
            engine::schedule_recoveries(tx, ctx.registry, ctx.settings, {{{id, o.attempt}, o.scheduled_by}});
        after = engine::get_job(tx, id);
        tx.commit();
        return o;
    });
    if (!out.found || !after) throw NotFound("job " + std::to_string(id) + " not found");
    if (out.before == out.after)
        throw BadRequest("job " + std::to_string(id) + " is " + std::string(to_string(out.before)) +
                         "; only SCHEDULED or RUNNING jobs can be aborted");
    // CNaaS-NMS answers with the job as it is now (src/cnaas_nms/api/jobs.py
    // JobByIdApi.put: {"jobs": [job]}); id, status and message stay for our
    // CLI and older clients.
    send_success(res, {{"jobs", json::array({*after})},
                       {"id", id},
                       {"status", out.after},
                       {"message", "job " + std::to_string(id) + ": " + std::string(to_string(out.before)) + " -> " +
                                       std::string(to_string(out.after))}});
}

// A new job with the same kind and arguments, linked both ways.
void retry_job(ApiContext& ctx, std::int64_t id, HttpResponse& res, const Principal& who) {
    using Refused = engine::RetryOutcome::Refused;
    std::optional<json> retry;
    auto out = ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        try {
            auto o = engine::retry_job(tx, ctx.registry, ctx.settings, id, who.subject);
            if (o.refused == Refused::no) retry = engine::get_job(tx, o.retry_id);
            tx.commit();
            return o;
        } catch (const std::invalid_argument& e) {
            throw BadRequest("job " + std::to_string(id) + " cannot be retried: " + e.what());
        }
    });
    switch (out.refused) {
        case Refused::not_found: throw NotFound("job " + std::to_string(id) + " not found");
        case Refused::not_ended:
            throw BadRequest("job " + std::to_string(id) + " is " + std::string(to_string(out.status)) +
                             "; only ended jobs (FINISHED, EXCEPTION, ABORTED) can be retried");
        case Refused::retried_already:
            send_error(res, 409,
                       "job " + std::to_string(id) + " was retried already as job " + std::to_string(out.retry_id) +
                           " (retry that one)");
            return;
        case Refused::no: break;
    }
    // As for ABORT, {"jobs": [job]}: here the new job.
    send_success(res, {{"jobs", json::array({retry.value_or(json::object())})},
                       {"id", id},
                       {"job_id", out.retry_id},
                       {"status", engine::JobStatus::scheduled},
                       {"message", "job " + std::to_string(id) + " retried as job " + std::to_string(out.retry_id)}});
}

// SUSPEND, RESUME: a running rollout pauses between its batches, keeping its
// locks (engine/job_suspend.h); its task sees the request within a heartbeat.
void suspend_job(ApiContext& ctx, std::int64_t id, bool suspend, HttpResponse& res, const Principal& who) {
    using Refused = engine::SuspendOutcome::Refused;
    std::optional<json> after;
    auto out = ctx.pool.with([&](pqxx::connection& conn) {
        pqxx::work tx(conn);
        auto o = engine::suspend_job(tx, ctx.registry, id, suspend, who.subject);
        if (o.refused == Refused::no) after = engine::get_job(tx, id);
        tx.commit();
        return o;
    });
    const std::string job = "job " + std::to_string(id);
    switch (out.refused) {
        case Refused::not_found: throw NotFound(job + " not found");
        case Refused::not_running:
            throw BadRequest(job + " is " + std::string(to_string(out.status)) +
                             "; only a RUNNING job can be suspended or resumed (a rollout, between its batches)");
        case Refused::cannot_pause: throw BadRequest(job + " cannot be suspended or resumed: " + out.why);
        case Refused::no: break;
    }
    std::string message = suspend ? (out.changed ? job + ": suspended; it starts no further batch until resumed"
                                                 : job + " was suspended already")
                                  : (out.changed ? job + ": resumed" : job + " was not suspended");
    send_success(res, {{"jobs", json::array({after.value_or(json::object())})},
                       {"id", id},
                       {"status", out.status},
                       {"suspended", suspend},
                       {"message", message}});
}

void job_action(ApiContext& ctx, const HttpRequest& req, HttpResponse& res, const Principal& who) {
    auto id = job_id(req.path_args[0]);
    json body = json_object_body(req);
    if (!body.contains("action") || !body["action"].is_string())
        throw BadRequest("field 'action' is required and must be a string (ABORT, RETRY, SUSPEND, RESUME)");
    std::string action = body["action"];
    for (auto& c : action) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (action == "ABORT") {
        reject_unknown_keys(body, {"action", "abort_reason"});
        abort_job(ctx, id, body, res, who);
    } else if (action == "RETRY") {
        reject_unknown_keys(body, {"action"});
        retry_job(ctx, id, res, who);
    } else if (action == "SUSPEND" || action == "RESUME") {
        reject_unknown_keys(body, {"action"});
        suspend_job(ctx, id, action == "SUSPEND", res, who);
    } else {
        throw BadRequest("unknown action '" + body["action"].get<std::string>() + "' (ABORT, RETRY, SUSPEND, RESUME)");
    }
}

}  // namespace

void add_jobs_routes(Router& router, ApiContext& ctx) {
    add_route(router, Method::get, "/api/v1.0/jobs", "GET /jobs", Role::read, ctx, list_jobs);
    add_route(router, Method::get, "/api/v1.0/job/{id}", "GET /job", Role::read, ctx, get_job);
    add_route(router, Method::put, "/api/v1.0/job/{id}", "PUT /job", Role::operator_, ctx, job_action);
}

}  // namespace switchyard::api
