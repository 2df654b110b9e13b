#include "job_store.h"

#include "defaults.h"
#include "locks/lock_store.h"
#include "store/queries.h"

#include <stdexcept>

namespace switchyard::engine {
namespace {

using nlohmann::json;

struct Resolved {
    std::string function_name;  // the name the job is stored and shown under
    nlohmann::json args;
    std::string queue;
    int priority;
    int max_attempts;
    int timeout_seconds;
    bool retry_safe;
};

Resolved resolve(const tasks::TaskRegistry& registry, const Settings& settings, const EnqueueRequest& r,
                 const json& args) {
    auto job = registry.resolve(r.function_name, args);
    if (!job) {
        std::string known;
        for (auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
        throw std::invalid_argument("unknown job kind '" + r.function_name + "' (known: " + known + ")");
    }
    Resolved out;
    out.function_name = job->function_name;
    out.args = std::move(job->args);
    out.queue = r.queue.empty() ? job->kind->queue : r.queue;
    if (!settings.jobs.queues.count(out.queue))
        throw std::invalid_argument("queue '" + out.queue + "' is not served by any worker (configure jobs.queues)");
    out.priority = r.priority == 0 ? defaults::kPriority : r.priority;
    if (out.priority < defaults::kPriorityMin || out.priority > defaults::kPriorityMax)
        throw std::invalid_argument("priority must be between 1 (first) and 10 (last)");
    out.max_attempts = r.max_attempts.value_or(job->default_max_attempts);
    if (out.max_attempts < 1 || out.max_attempts > defaults::kMaxAttemptsLimit)
        throw std::invalid_argument("max attempts must be between 1 and " + std::to_string(defaults::kMaxAttemptsLimit));
    out.timeout_seconds = r.timeout_seconds.value_or(static_cast<int>(settings.jobs.default_timeout_seconds.count()));
    if (out.timeout_seconds < 1 || out.timeout_seconds > 7 * 86400)
        throw std::invalid_argument("timeout must be between 1 second and 7 days");
    out.retry_safe = job->retry_safe;
    return out;
}

std::optional<std::string> optional_text(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

EnqueueResult enqueue(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                      const EnqueueRequest& r) {
    if (!r.args.is_object()) throw std::invalid_argument("job arguments must be a JSON object");
    Resolved v = resolve(registry, settings, r, r.args);
    if (!(r.delay_seconds >= 0 && r.delay_seconds <= 366.0 * 86400))
        throw std::invalid_argument("the delay must be between 0 and 366 days");
    if (r.idempotency_key.size() > 200) throw std::invalid_argument("an idempotency key must be at most 200 characters");

    for (int round = 0; round < 3; ++round) {
        auto inserted = store::sql::jobs::enqueue(tx, {.function_name = v.function_name,
                                                       .queue = v.queue,
                                                       .priority = v.priority,
                                                       .delay_seconds = r.delay_seconds,
                                                       .scheduled_by = optional_text(r.scheduled_by),
                                                       .comment = optional_text(r.comment),
                                                       .ticket_ref = optional_text(r.ticket_ref),
                                                       .start_arguments = v.args,
                                                       .max_attempts = v.max_attempts,
                                                       .timeout_seconds = v.timeout_seconds,
                                                       .retry_safe = v.retry_safe,
                                                       .idempotency_key = optional_text(r.idempotency_key)});
        if (inserted) return {inserted->id, false};
        if (auto found = find_job_by_key(tx, r.idempotency_key)) return {*found, true};
        // The job holding the key was deleted in between: insert again.
    }
    throw std::runtime_error("could not enqueue job with idempotency key '" + r.idempotency_key + "'");
}

std::optional<std::int64_t> find_job_by_key(pqxx::transaction_base& tx, const std::string& key) {
    auto found = store::sql::jobs::find_by_key(tx, {.idempotency_key = key});
    if (!found) return std::nullopt;
    return found->id;
}

std::vector<std::int64_t> enqueue_many(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry,
                                       const Settings& settings, const std::string& function_name,
                                       const std::vector<json>& args_list) {
    EnqueueRequest r;
    r.function_name = function_name;
    json rows = json::array();
    for (auto& args : args_list) {
        Resolved v = resolve(registry, settings, r, args);
        rows.push_back({{"function_name", v.function_name}, {"queue", v.queue}, {"priority", v.priority},
                        {"start_arguments", v.args}, {"max_attempts", v.max_attempts},
                        {"timeout_seconds", v.timeout_seconds}, {"retry_safe", v.retry_safe}});
    }
    std::vector<std::int64_t> ids;
    for (auto& row : store::sql::jobs::enqueue_many(tx, {.jobs = rows})) ids.push_back(row.id);
    return ids;
}

std::optional<json> get_job(pqxx::transaction_base& tx, std::int64_t id) {
    auto r = store::sql::jobs::get(tx, {.id = id});
    if (!r) return std::nullopt;
    return json::parse(r->document);
}

AbortOutcome abort_job(pqxx::transaction_base& tx, std::int64_t id, const std::string& reason, const std::string& by) {
    auto r = store::sql::jobs::abort_job(tx, {.id = id, .reason = reason, .aborted_by = by});
    if (!r) return {};
    auto before = job_status_from_string(r->before), after = job_status_from_string(r->after);
    if (!before || !after) throw std::runtime_error("job " + std::to_string(id) + " has an unknown status");
    AbortOutcome out{true, *before, *after};
    if (out.after == JobStatus::aborting) locks::request_abort(tx, id);
    return out;
}

}  // namespace switchyard::engine
