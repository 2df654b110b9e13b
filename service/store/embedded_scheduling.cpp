#include "embedded_scheduling.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace switchyard::store {
namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool lists_cpu(std::string_view controllers) {
    while (!controllers.empty()) {
        auto comma = controllers.find(',');
        if (controllers.substr(0, comma) == "cpu") return true;
        if (comma == std::string_view::npos) break;
        controllers.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

bool in_cpu_cgroup(std::string_view text, const std::function<bool(const std::string&)>& cpu_controlled) {
    std::optional<std::string> unified;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        // "hierarchy-ID:controller-list:cgroup-path" (man 7 cgroups)
        auto first = line.find(':');
        auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
        if (second == std::string_view::npos) continue;
        std::string_view controllers = line.substr(first + 1, second - first - 1);
        std::string_view path = line.substr(second + 1);
        if (lists_cpu(controllers)) return path != "/";  // v1 decides where it has a cpu hierarchy
        if (line.substr(0, first) == "0" && controllers.empty()) unified = std::string(path);
    }
    if (!unified || unified->empty() || unified->front() != '/') return false;
    for (std::string path = *unified;;) {
        if (cpu_controlled(path)) return true;
        if (path == "/") return false;
        auto slash = path.rfind('/');
        path = slash == 0 ? "/" : path.substr(0, slash);
    }
}

CpuScheduling read_cpu_scheduling() {
    CpuScheduling s;
    s.autogroups = read_text("/proc/sys/kernel/sched_autogroup_enabled").starts_with("1");
    // cpu.weight exists in a v2 cgroup only when its parent gives it the cpu
    // controller; the root cgroup never has one.
    s.in_cpu_cgroup = in_cpu_cgroup(read_text("/proc/self/cgroup"), [](const std::string& path) {
        std::error_code ignored;
        return std::filesystem::exists(std::filesystem::path("/sys/fs/cgroup" + path) / "cpu.weight", ignored);
    });
    return s;
}

std::optional<std::string> autogroup_warning(const CpuScheduling& s) {
    if (!s.autogroups || s.in_cpu_cgroup) return std::nullopt;
    return "the kernel's autogroups are on and serve runs in no CPU cgroup of its own: each backend of the embedded "
           "PostgreSQL is then a session that weighs as much as all of serve's threads, which multiplies the API's "
           "tail latency under load. Run serve from the packaged systemd unit, in a cgroup (systemd-run --scope -p "
           "CPUWeight=100 switchyard serve ...), or with kernel.sched_autogroup_enabled=0 (README, \"Ansible and the "
           "Debian package\")";
}

}  // namespace switchyard::store
