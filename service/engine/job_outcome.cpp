#include "job_outcome.h"

#include "tasks/job_context.h"

#include <cxxabi.h>
#include <chrono>
#include <cmath>
#include <memory>
#include <typeinfo>

namespace switchyard::engine {
namespace {

using nlohmann::json;

std::string type_name(const std::type_info& type) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

std::string now_iso() {
    auto now = std::chrono::system_clock::now();
    auto t = std::chrono::system_clock::to_time_t(now);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us));
    return buf;
}

void walk_nested(const std::exception& e, std::vector<std::string>& trace) {
    trace.push_back(type_name(typeid(e)) + ": " + e.what());
    try {
        std::rethrow_if_nested(e);
    } catch (const std::exception& inner) {
        walk_nested(inner, trace);
    } catch (...) {
        trace.push_back("unknown exception");
    }
}

json error_entry(const ClaimedJob& job, const json& exception) {
    return {{"attempt", job.attempt},
            {"at", now_iso()},
            {"message", exception["message"]},
            {"type", exception["type"]},
            {"trace", exception["traceback"]}};
}

}  // namespace

double retry_delay_seconds(int attempt, const BackoffPolicy& policy, std::mt19937_64& random) {
    double base = std::chrono::duration<double>(policy.base).count() * std::pow(2.0, std::max(0, attempt - 1));
    base = std::min(base, std::chrono::duration<double>(policy.max).count());
    std::uniform_real_distribution<double> spread(1.0 - policy.jitter, 1.0 + policy.jitter);
    return base * spread(random);
}

json exception_document(const std::string& message, const std::string& type, json args,
                        const std::vector<std::string>& traceback) {
    std::string text;
    for (auto& line : traceback) text += (text.empty() ? "" : "\n") + line;
    return {{"message", message}, {"type", type}, {"args", std::move(args)}, {"traceback", text}};
}

json describe_exception(std::exception_ptr error, const ClaimedJob& job) {
    std::string message = "unknown error", type = "unknown";
    json args = json::array();
    std::vector<std::string> trace;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        message = e.what();
        type = type_name(typeid(e));
        args = json::array({e.what()});
        walk_nested(e, trace);
    } catch (...) {
        trace.push_back("a non-standard exception was thrown");
    }
    trace.push_back("in job " + std::to_string(job.id) + " (" + job.function_name + "), attempt " +
                    std::to_string(job.attempt) + " of " + std::to_string(job.max_attempts));
    return exception_document(message, type, std::move(args), trace);
}

Completion unstorable_outcome(const Completion& refused, const std::string& reason) {
    Completion c;
    c.id = refused.id;
    c.worker_id = refused.worker_id;
    c.attempt = refused.attempt;
    c.scheduled_by = refused.scheduled_by;
    // Its result is not stored, but parts it wrote are still deleted.
    c.wrote_result_parts = refused.wrote_result_parts;
    c.status = JobStatus::exception;
    std::string message =
        "the job's outcome (" + std::string(to_string(refused.status)) + ") could not be stored: " + reason;
    c.exception = exception_document(message, "UnstorableOutcome", json::array({message}),
                                     {"in job " + std::to_string(refused.id) + ", attempt " +
                                      std::to_string(refused.attempt) + ", while storing its outcome"});
    c.error = {{"attempt", refused.attempt},
               {"at", now_iso()},
               {"message", message},
               {"type", "UnstorableOutcome"},
               {"trace", c.exception["traceback"]}};
    return c;
}

Completion decide_completion(const ClaimedJob& job, const AttemptEnd& end, const BackoffPolicy& policy,
                             std::mt19937_64& random) {
    Completion c;
    c.id = job.id;
    c.worker_id = job.worker_id;
    c.attempt = job.attempt;
    c.scheduled_by = job.scheduled_by;

    if (!end.error) {
        c.status = JobStatus::finished;
        return c;
    }

    bool aborted = false;
    bool retryable = false;
    try {
        std::rethrow_exception(end.error);
    } catch (const tasks::AbortRequested&) {
        aborted = true;
    } catch (const tasks::RetryableError&) {
        retryable = true;
    } catch (...) {
    }

    if (end.timed_out) {
        // A timeout is a failure, whatever the task threw while stopping.
        c.status = JobStatus::exception;
        c.exception = exception_document("job timed out after " + std::to_string(job.timeout_seconds) + " s",
                                         "JobTimeout", json::array(),
                                         {"in job " + std::to_string(job.id) + " (" + job.function_name +
                                          "), attempt " + std::to_string(job.attempt)});
        c.error = error_entry(job, c.exception);
        return c;
    }
    if (aborted && end.abort_requested) {
        c.status = JobStatus::aborted;
        c.abort_reason = end.abort_reason;
        return c;
    }

    c.exception = describe_exception(end.error, job);
    c.error = error_entry(job, c.exception);
    if (retryable && job.attempt < job.max_attempts) {
        c.status = JobStatus::scheduled;
        c.exception = nullptr;
        c.retry_in_seconds = retry_delay_seconds(job.attempt, policy, random);
        return c;
    }
    c.status = JobStatus::exception;
    if (retryable)
        c.exception["message"] = "gave up after " + std::to_string(job.attempt) + " attempt" +
                                 (job.attempt == 1 ? "" : "s") + ": " + c.exception["message"].get<std::string>();
    return c;
}

}  // namespace switchyard::engine
