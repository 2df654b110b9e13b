#include "engine/job_outcome.h"
#include "tasks/job_context.h"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace switchyard;
using namespace switchyard::engine;

namespace {
ClaimedJob job_at(int attempt, int max_attempts) {
    ClaimedJob j;
    j.id = 7;
    j.function_name = "sleep";
    j.attempt = attempt;
    j.max_attempts = max_attempts;
    j.timeout_seconds = 30;
    return j;
}
const BackoffPolicy kPolicy{std::chrono::milliseconds(1000), std::chrono::seconds(60), 0.2};
}  // namespace

TEST_CASE("retry backoff doubles per attempt, stays within jitter, and is capped", "[outcome]") {
    std::mt19937_64 random(1);
    for (int i = 0; i < 200; ++i) {
        double d1 = retry_delay_seconds(1, kPolicy, random);
        double d3 = retry_delay_seconds(3, kPolicy, random);
        double d20 = retry_delay_seconds(20, kPolicy, random);
        CHECK((d1 >= 0.8 && d1 <= 1.2));
        CHECK((d3 >= 3.2 && d3 <= 4.8));
        CHECK((d20 >= 48 && d20 <= 72));
    }
}

TEST_CASE("outcomes: success, retry, give up, abort, timeout, exception", "[outcome]") {
    std::mt19937_64 random(2);
    auto err = [](auto e) { return std::make_exception_ptr(e); };
    // The job at `attempt` of `max_attempts`, its attempt ended as `end`.
    auto decide = [&](int attempt, int max_attempts, const AttemptEnd& end) {
        return decide_completion(job_at(attempt, max_attempts), end, kPolicy, random);
    };

    CHECK(decide(1, 1, {}).status == JobStatus::finished);

    auto retry = decide(1, 3, {err(tasks::RetryableError("flaky")), false, false, ""});
    CHECK(retry.status == JobStatus::scheduled);
    CHECK(retry.exception.is_null());
    CHECK(retry.error["message"] == "flaky");
    CHECK(retry.retry_in_seconds > 0);

    auto gave_up = decide(3, 3, {err(tasks::RetryableError("flaky")), false, false, ""});
    CHECK(gave_up.status == JobStatus::exception);
    CHECK(gave_up.exception["message"] == "gave up after 3 attempts: flaky");

    auto aborted = decide(1, 1, {err(tasks::AbortRequested("stop")), true, false, "stop"});
    CHECK(aborted.status == JobStatus::aborted);
    // This process's own reason (a shutdown, the lease guard) goes with it.
    CHECK(aborted.abort_reason == "stop");

    auto timed_out = decide(1, 3, {err(tasks::AbortRequested("t")), true, true, "t"});
    CHECK(timed_out.status == JobStatus::exception);
    CHECK(timed_out.exception["type"] == "JobTimeout");

    auto thrown = decide(1, 3, {err(std::out_of_range("index 9")), false, false, ""});
    CHECK(thrown.status == JobStatus::exception);  // not retryable, even with attempts left
    CHECK(thrown.exception["type"] == "std::out_of_range");
    CHECK(thrown.exception["message"] == "index 9");
}

TEST_CASE("nested exceptions appear in the traceback, outermost first", "[outcome]") {
    std::exception_ptr e;
    try {
        try {
            throw std::runtime_error("connection refused");
        } catch (...) {
            std::throw_with_nested(std::runtime_error("reading running config of sw1"));
        }
    } catch (...) {
        e = std::current_exception();
    }
    auto d = describe_exception(e, job_at(2, 3));
    CHECK(d["message"] == "reading running config of sw1");
    REQUIRE(d["traceback"].is_string());
    auto lines = d["traceback"].get<std::string>();
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 2);
    auto first_break = lines.find('\n');
    CHECK(lines.find("connection refused") > first_break);
    CHECK(lines.substr(lines.rfind('\n') + 1) == "in job 7 (sleep), attempt 2 of 3");
}
