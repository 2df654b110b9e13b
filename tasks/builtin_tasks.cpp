// noop and sleep: job kinds for tests, demos and benchmarks.
#include "task_registry.h"

#include <chrono>
#include <thread>

namespace switchyard::tasks {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Optional chaining for both kinds: {"then": {"function_name": "...", "args": {...}}}
void schedule_then(JobContext& ctx) {
    const json& args = ctx.args();
    if (!args.is_object() || !args.contains("then")) return;
    const json& then = args["then"];
    if (!then.is_object() || !then.contains("function_name") || !then["function_name"].is_string())
        throw std::invalid_argument("argument 'then' must be an object with a string 'function_name'");
    ctx.schedule_next(then["function_name"].get<std::string>(), then.value("args", json::object()));
}

void run_noop(JobContext& ctx) {
    ctx.set_result({{"message", "nothing to do"}});
    schedule_then(ctx);
}

double number_arg(const json& args, const char* name, double fallback, double max) {
    if (!args.contains(name)) return fallback;
    const json& v = args[name];
    if (!v.is_number()) throw std::invalid_argument(std::string("argument '") + name + "' must be a number");
    double d = v.get<double>();
    if (!(d >= 0 && d <= max))
        throw std::invalid_argument(std::string("argument '") + name + "' must be between 0 and " +
                                    std::to_string(static_cast<long>(max)));
    return d;
}

// Arguments:
//   seconds      how long to sleep (default 0); aborts are honoured every 20 ms
//   lock         a lock name to hold while sleeping
//   lock_wait    seconds to wait for that lock (default 0)
//   fail         true: every attempt fails retryably; N: the first N attempts do
//   ignore_abort true: never look at aborts (a stuck task, for timeout tests)
//   then         a job to chain on success
void run_sleep(JobContext& ctx) {
    const json& args = ctx.args();
    if (!args.is_object()) throw std::invalid_argument("sleep expects an object of arguments");
    double seconds = number_arg(args, "seconds", 0, 86400);
    double lock_wait = number_arg(args, "lock_wait", 0, 3600);
    bool ignore_abort = args.value("ignore_abort", false);

    if (args.contains("lock")) {
        if (!args["lock"].is_string() || args["lock"].get<std::string>().empty())
            throw std::invalid_argument("argument 'lock' must be a non-empty string");
        ctx.acquire_lock(args["lock"].get<std::string>(),
                         std::chrono::milliseconds(static_cast<long>(lock_wait * 1000)));
    }

    auto until = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                        std::chrono::duration<double>(seconds));
    while (std::chrono::steady_clock::now() < until) {
        if (!ignore_abort) ctx.check_abort();
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(20ms, until - std::chrono::steady_clock::now()));
    }
    if (!ignore_abort) ctx.check_abort();

    if (args.contains("fail")) {
        const json& fail = args["fail"];
        bool fails = fail.is_boolean() ? fail.get<bool>()
                     : fail.is_number_integer()
                         ? ctx.job().attempt <= fail.get<int>()
                         : throw std::invalid_argument("argument 'fail' must be a boolean or an attempt count");
        if (fails) throw RetryableError("asked to fail on attempt " + std::to_string(ctx.job().attempt));
    }
    ctx.set_result({{"slept_seconds", seconds}});
    schedule_then(ctx);
}

json then_schema() {
    return {{"type", "object"},
            {"description", "a job to schedule as next_job_id when this one finishes"},
            {"properties", {{"function_name", {{"type", "string"}}}, {"args", {{"type", "object"}}}}},
            {"required", {"function_name"}}};
}

json sleep_schema() {
    return {{"type", "object"},
            {"properties",
             {{"seconds", {{"type", "number"}, {"minimum", 0}, {"maximum", 86400}, {"default", 0}}},
              {"lock", {{"type", "string"}, {"minLength", 1}, {"description", "a lock to hold while sleeping"}}},
              {"lock_wait", {{"type", "number"}, {"minimum", 0}, {"maximum", 3600}, {"default", 0}}},
              {"fail",
               {{"type", {"boolean", "integer"}},
                {"description", "true: every attempt fails (retryably); N: the first N attempts do"}}},
              {"ignore_abort", {{"type", "boolean"}, {"default", false}}},
              {"then", then_schema()}}},
            {"additionalProperties", false}};
}
}  // namespace

void register_builtin_tasks(TaskRegistry& registry) {
    registry.add({.function_name = "noop",
                  .run = run_noop,
                  .retry_safe = true,
                  .default_max_attempts = 3,
                  .description = "does nothing (tests, demos, benchmarks)",
                  .arguments_schema = {{"type", "object"}, {"properties", {{"then", then_schema()}}}}});
    // A sleep may stand for work with side effects, so a sleep whose worker
    // died is not re-run; sleep_idempotent is the same kind declared safe.
    TaskKind sleep{.function_name = "sleep",
                   .run = run_sleep,
                   .retry_safe = false,
                   .default_max_attempts = 1,
                   .description = "sleeps, optionally holding a lock or failing (tests, demos)",
                   .arguments_schema = sleep_schema(),
                   .locks = {"the lock named by argument 'lock', if any"}};
    TaskKind sleep_idempotent = sleep;
    sleep_idempotent.function_name = "sleep_idempotent";
    sleep_idempotent.retry_safe = true;
    sleep_idempotent.default_max_attempts = 3;
    sleep_idempotent.description = "sleep, declared safe to run again after its worker died";
    registry.add(std::move(sleep));
    registry.add(std::move(sleep_idempotent));
}

}  // namespace switchyard::tasks
