// The task registry: job kinds by function name.
#pragma once

#include "job_context.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace switchyard::tasks {

struct TaskKind {
    std::string function_name;
    std::function<void(JobContext&)> run;
    // True when running the kind again after its worker died part-way is safe
    // (it is idempotent). The rescuer retries such jobs; others end EXCEPTION.
    bool retry_safe = false;
    // Attempts when the enqueuer does not say.
    int default_max_attempts = 1;
    std::string queue = "default";
};

class TaskRegistry {
public:
    // Throws std::invalid_argument when the name is taken or empty.
    void add(TaskKind kind);
    // nullptr when unknown.
    const TaskKind* find(const std::string& function_name) const;
    std::vector<std::string> names() const;

private:
    std::map<std::string, TaskKind> kinds_;
};

// noop and sleep: for tests, demos and benchmarks.
void register_builtin_tasks(TaskRegistry& registry);

}  // namespace switchyard::tasks
