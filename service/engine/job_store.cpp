#include "job_store.h"

#include "defaults.h"
#include "devices/json_text.h"
#include "locks/lock_store.h"
#include "store/queries.h"

#include <cmath>
#include <stdexcept>

namespace switchyard::engine {
namespace {

using nlohmann::json;

struct Resolved {
    const tasks::TaskKind* kind;
    std::string function_name;  // the name the job is stored and shown under
    nlohmann::json args;
    std::string queue;
    int priority;
    int max_attempts;
    std::optional<int> timeout_seconds;  // empty: decided by the kind's default or the estimate
    bool retry_safe;
};

constexpr int kMaxTimeoutSeconds = 7 * 86400;

// Every enqueue (the API, a schedule's tick, a follow-up, a retry, a bulk
// insert) is checked as the kind will read its arguments, so a job that
// could only fail is refused before it exists. `asked` are the arguments as
// given: a value the server's settings filled in is named, since the caller
// did not choose it.
void check_arguments(const tasks::ResolvedJob& job, const json& asked) {
    if (!job.kind->check_arguments) return;
    try {
        job.kind->check_arguments(job.args);
    } catch (const std::invalid_argument& e) {
        std::string configured;
        const json configured_args =
            job.kind->configured_default_args ? job.kind->configured_default_args() : json::object();
        for (auto& [key, value] : configured_args.items())
            if (!asked.is_object() || !asked.contains(key))
                configured += (configured.empty() ? "" : ", ") + key + " " + value.dump();
        throw std::invalid_argument(
            std::string(e.what()) +
            (configured.empty() ? "" : " (not given, so the server's configured default: " + configured + ")"));
    }
}

Resolved resolve(const tasks::TaskRegistry& registry, const Settings& settings, const EnqueueRequest& r,
                 const json& args) {
    auto job = registry.resolve(r.function_name, args);
    if (!job) {
        std::string known;
        for (auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
        throw std::invalid_argument("unknown job kind '" + r.function_name + "' (known: " + known + ")");
    }
    check_arguments(*job, args);
    Resolved out;
    out.kind = job->kind;
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
        throw std::invalid_argument("max attempts must be between 1 and " +
                                    std::to_string(defaults::kMaxAttemptsLimit));
    out.timeout_seconds = r.timeout_seconds ? r.timeout_seconds : job->kind->default_timeout_seconds;
    if (out.timeout_seconds && (*out.timeout_seconds < 1 || *out.timeout_seconds > kMaxTimeoutSeconds))
        throw std::invalid_argument("timeout must be between 1 second and 7 days");
    out.retry_safe = job->retry_safe;
    return out;
}

std::optional<std::string> optional_text(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// No timeout asked for and none by the kind: the estimate x factor (Eyrie's
// rule), at least the minimum; without an estimate, the default.
int timeout_for(const Resolved& v, const Settings& settings, std::optional<double> estimate) {
    if (v.timeout_seconds) return *v.timeout_seconds;
    if (!estimate) return static_cast<int>(settings.jobs.default_timeout_seconds.count());
    double t = std::ceil(*estimate * settings.jobs.estimate_timeout_factor);
    t = std::max<double>(t, static_cast<double>(settings.jobs.estimate_timeout_min_seconds.count()));
    return static_cast<int>(std::min<double>(t, kMaxTimeoutSeconds));
}

}  // namespace

EnqueueResult enqueue(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                      const EnqueueRequest& r) {
    if (!r.args.is_object()) throw std::invalid_argument("job arguments must be a JSON object");
    Resolved v = resolve(registry, settings, r, r.args);
    if (!(r.delay_seconds >= 0 && r.delay_seconds <= 366.0 * 86400))
        throw std::invalid_argument("the delay must be between 0 and 366 days");
    if (r.idempotency_key.size() > 200)
        throw std::invalid_argument("an idempotency key must be at most 200 characters");
    std::optional<double> run_at_epoch;
    if (r.run_at) {
        auto ahead = std::chrono::duration<double>(*r.run_at - std::chrono::system_clock::now()).count();
        if (ahead > 366.0 * 86400) throw std::invalid_argument("a job may be scheduled at most 366 days ahead");
        run_at_epoch = std::chrono::duration<double>(r.run_at->time_since_epoch()).count();
    }
    auto estimate = estimate_duration(tx, *v.kind, v.function_name, v.args);
    int timeout = timeout_for(v, settings, estimate);

    for (int round = 0; round < 3; ++round) {
        auto inserted =
            store::sql::jobs::enqueue(tx, {.function_name = v.function_name,
                                           .queue = v.queue,
                                           .priority = v.priority,
                                           .delay_seconds = r.delay_seconds,
                                           .run_at_epoch = run_at_epoch,
                                           .scheduled_by = optional_text(r.scheduled_by),
                                           .comment = optional_text(r.comment),
                                           .ticket_ref = optional_text(r.ticket_ref),
                                           .start_arguments = sqlgen::JsonText::raw(devices::storable_json(v.args)),
                                           .max_attempts = v.max_attempts,
                                           .timeout_seconds = timeout,
                                           .retry_safe = v.retry_safe,
                                           .idempotency_key = optional_text(r.idempotency_key),
                                           .retry_of = r.retry_of,
                                           .estimated_seconds = estimate});
        if (inserted) return {inserted->id, false};
        if (auto found = find_job_by_key(tx, r.idempotency_key)) return {*found, true};
        // The job holding the key was deleted in between: insert again.
    }
    throw std::runtime_error("could not enqueue job with idempotency key '" + r.idempotency_key + "'");
}

void check_job_arguments(const tasks::TaskRegistry& registry, const std::string& function_name, const json& args) {
    auto job = registry.resolve(function_name, args);
    if (job) check_arguments(*job, args);
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
        rows.push_back({{"function_name", v.function_name},
                        {"queue", v.queue},
                        {"priority", v.priority},
                        {"start_arguments", v.args},
                        {"max_attempts", v.max_attempts},
                        {"timeout_seconds",
                         v.timeout_seconds.value_or(static_cast<int>(settings.jobs.default_timeout_seconds.count()))},
                        {"retry_safe", v.retry_safe}});
    }
    std::vector<std::int64_t> ids;
    for (auto& row : store::sql::jobs::enqueue_many(tx, {.jobs = sqlgen::JsonText::raw(devices::storable_json(rows))}))
        ids.push_back(row.id);
    return ids;
}

std::optional<double> estimate_duration(pqxx::transaction_base& tx, const tasks::TaskKind& kind,
                                        const std::string& function_name, const json& args) {
    // Per device when the arguments say how many devices; a selection by
    // type, group or all is counted only when the job runs: per job then.
    std::optional<std::size_t> devices = kind.device_count ? kind.device_count(args) : std::nullopt;
    auto e = store::sql::jobs::duration_estimate(
        tx, {.function_name = function_name, .per_device = devices.has_value(), .sample = defaults::kEstimateSample});
    if (!e.seconds || e.samples < defaults::kEstimateMinSamples) return std::nullopt;
    return *e.seconds * static_cast<double>(devices ? std::max<std::size_t>(1, *devices) : 1);
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
    AbortOutcome out{true, *before, *after, r->attempt, r->scheduled_by.value_or("")};
    if (out.after == JobStatus::aborting) locks::request_abort(tx, id);
    return out;
}

RetryOutcome retry_job(pqxx::transaction_base& tx, const tasks::TaskRegistry& registry, const Settings& settings,
                       std::int64_t id, const std::string& by) {
    RetryOutcome out;
    auto old = store::sql::jobs::retry_source(tx, {.id = id});
    if (!old) {
        out.refused = RetryOutcome::Refused::not_found;
        return out;
    }
    auto status = job_status_from_string(old->status);
    if (!status) throw std::runtime_error("job " + std::to_string(id) + " has an unknown status");
    out.status = *status;
    if (!is_final(*status)) {
        out.refused = RetryOutcome::Refused::not_ended;
        return out;
    }
    if (old->retried_by) {
        out.refused = RetryOutcome::Refused::retried_already;
        out.retry_id = *old->retried_by;
        return out;
    }
    EnqueueRequest r;
    r.function_name = old->function_name;
    r.args = old->start_arguments;
    r.queue = old->queue;
    r.priority = old->priority;
    r.max_attempts = old->max_attempts;
    r.timeout_seconds = old->timeout_seconds;
    r.scheduled_by = by;
    r.comment = "retry of job " + std::to_string(id) + (old->comment ? ": " + *old->comment : "");
    if (r.comment.size() > 1000) r.comment = "retry of job " + std::to_string(id);  // never cut a character in two
    r.ticket_ref = old->ticket_ref.value_or("");
    r.retry_of = id;
    out.retry_id = enqueue(tx, registry, settings, r).id;
    store::sql::jobs::link_retry(tx, {.id = id, .retried_by = out.retry_id});
    return out;
}

}  // namespace switchyard::engine
