#include "task_registry.h"

#include <stdexcept>

namespace switchyard::tasks {
namespace {

// Every key of `implied` is in `args` with the same value.
bool implies(const nlohmann::json& implied, const nlohmann::json& args) {
    for (auto& [key, value] : implied.items())
        if (!args.contains(key) || args[key] != value) return false;
    return true;
}

}  // namespace

void TaskRegistry::add(TaskKind kind) {
    if (kind.function_name.empty()) throw std::invalid_argument("a job kind needs a function name");
    if (!kind.run) throw std::invalid_argument("job kind " + kind.function_name + " has no function");
    if (!kind.default_args.is_object())
        throw std::invalid_argument("default_args of " + kind.function_name + " must be an object");
    auto taken = [&](const std::string& n) { return kinds_.count(n) || shown_.count(n); };
    if (taken(kind.function_name)) throw std::invalid_argument("job kind " + kind.function_name + " registered twice");
    for (auto& s : kind.shown_as) {
        if (s.name.empty() || taken(s.name) || s.name == kind.function_name)
            throw std::invalid_argument("shown name '" + s.name + "' of " + kind.function_name + " is empty or taken");
        if (!s.implied_args.is_object() || s.implied_args.empty())
            throw std::invalid_argument("shown name '" + s.name + "' needs the arguments it implies");
    }
    auto name = kind.function_name;
    const TaskKind& stored = kinds_.emplace(name, std::move(kind)).first->second;
    for (std::size_t i = 0; i < stored.shown_as.size(); ++i) shown_[stored.shown_as[i].name] = {name, i};
}

const TaskKind* TaskRegistry::find(const std::string& function_name) const {
    if (auto it = kinds_.find(function_name); it != kinds_.end()) return &it->second;
    if (auto it = shown_.find(function_name); it != shown_.end()) return &kinds_.at(it->second.first);
    return nullptr;
}

std::optional<ResolvedJob> TaskRegistry::resolve(const std::string& function_name, nlohmann::json args) const {
    const TaskKind* kind = find(function_name);
    if (!kind) return std::nullopt;
    if (args.is_null()) args = nlohmann::json::object();
    if (!args.is_object()) throw std::invalid_argument("job arguments must be a JSON object");
    if (auto it = shown_.find(function_name); it != shown_.end())
        args.update(kind->shown_as[it->second.second].implied_args);
    for (auto& [key, value] : kind->default_args.items())
        if (!args.contains(key)) args[key] = value;
    if (kind->configured_default_args) {
        const nlohmann::json configured = kind->configured_default_args();
        for (auto& [key, value] : configured.items())
            if (!args.contains(key)) args[key] = value;
    }
    ResolvedJob out{kind, kind->function_name, std::move(args), kind->retry_safe, kind->default_max_attempts};
    for (auto& s : kind->shown_as)
        if (implies(s.implied_args, out.args)) {
            out.function_name = s.name;
            out.retry_safe = s.retry_safe;
            out.default_max_attempts = s.default_max_attempts;
            return out;
        }
    for (auto& r : kind->retry_by_args)
        if (implies(r.implied_args, out.args)) {
            out.retry_safe = r.retry_safe;
            out.default_max_attempts = r.default_max_attempts;
            break;
        }
    return out;
}

std::vector<std::string> TaskRegistry::names() const {
    std::vector<std::string> out;
    for (auto& [name, kind] : kinds_) out.push_back(name);
    for (auto& [name, entry] : shown_) out.push_back(name);
    return out;
}

void TaskRegistry::add_maintenance(MaintenanceHook hook) {
    if (hook.name.empty() || !hook.run || hook.every_rounds < 1)
        throw std::invalid_argument("a maintenance hook needs a name, a function and every_rounds >= 1");
    maintenance_.push_back(std::move(hook));
}

void TaskRegistry::add_recovery(RecoveryHook hook) {
    if (hook.name.empty() || !hook.recovery) throw std::invalid_argument("a recovery hook needs a name and a function");
    recovery_.push_back(std::move(hook));
}

}  // namespace switchyard::tasks
