#include "task_registry.h"

#include <stdexcept>

namespace switchyard::tasks {

void TaskRegistry::add(TaskKind kind) {
    if (kind.function_name.empty()) throw std::invalid_argument("a job kind needs a function name");
    if (!kind.run) throw std::invalid_argument("job kind " + kind.function_name + " has no function");
    auto name = kind.function_name;
    if (!kinds_.emplace(name, std::move(kind)).second)
        throw std::invalid_argument("job kind " + name + " registered twice");
}

const TaskKind* TaskRegistry::find(const std::string& function_name) const {
    auto it = kinds_.find(function_name);
    return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> TaskRegistry::names() const {
    std::vector<std::string> out;
    for (auto& [name, kind] : kinds_) out.push_back(name);
    return out;
}

}  // namespace switchyard::tasks
