// Where serve's embedded PostgreSQL is scheduled by autogroups
// (service/store/embedded_scheduling.h says why that matters).
#include "store/embedded_scheduling.h"

#include <catch2/catch.hpp>

#include <set>
#include <vector>

using namespace switchyard::store;

namespace {

auto controlled_at(std::set<std::string> paths) {
    return [paths = std::move(paths)](const std::string& path) { return paths.count(path) > 0; };
}
const auto nowhere = controlled_at({});

}  // namespace

TEST_CASE("cgroup v1: the cpu hierarchy's path decides", "[embedded_scheduling]") {
    // This machine's shell: every hierarchy at its root.
    CHECK_FALSE(in_cpu_cgroup("9:name=systemd:/\n3:cpuset:/\n1:cpu:/\n2:cpuacct:/\n0::/\n", nowhere));
    CHECK(in_cpu_cgroup("1:cpu:/sy-apibench-123\n2:cpuacct:/\n", nowhere));
    // Joined controllers, in either order.
    CHECK(in_cpu_cgroup("4:cpu,cpuacct:/system.slice/switchyard.service\n", nowhere));
    CHECK(in_cpu_cgroup("4:cpuacct,cpu:/docker/0123abcd\n", nowhere));
    CHECK_FALSE(in_cpu_cgroup("4:cpuacct,cpu:/\n", nowhere));
    // cpuset and cpuacct are not the cpu controller.
    CHECK_FALSE(in_cpu_cgroup("3:cpuset:/pinned\n2:cpuacct:/counted\n1:cpu:/\n", nowhere));
    // A hybrid host: v1's cpu hierarchy decides, whatever the unified one says.
    CHECK_FALSE(in_cpu_cgroup("1:cpu:/\n0::/system.slice/x.service\n", controlled_at({"/system.slice/x.service"})));
}

TEST_CASE("cgroup v2: the path or an ancestor with the cpu controller", "[embedded_scheduling]") {
    const std::string session = "0::/user.slice/user-0.slice/session-4.scope\n";
    CHECK_FALSE(in_cpu_cgroup(session, nowhere));
    CHECK(in_cpu_cgroup(session, controlled_at({"/user.slice/user-0.slice/session-4.scope"})));
    CHECK(in_cpu_cgroup(session, controlled_at({"/user.slice"})));
    // The root cgroup itself, as a host shows it (no cpu.weight there) ...
    CHECK_FALSE(in_cpu_cgroup("0::/\n", nowhere));
    // ... and as a container's namespace shows a cgroup of the host's.
    CHECK(in_cpu_cgroup("0::/\n", controlled_at({"/"})));

    std::vector<std::string> asked;
    in_cpu_cgroup("0::/a/b/c\n", [&](const std::string& path) {
        asked.push_back(path);
        return false;
    });
    CHECK(asked == std::vector<std::string>{"/a/b/c", "/a/b", "/a", "/"});
}

TEST_CASE("what the kernel did not write is not a CPU cgroup", "[embedded_scheduling]") {
    const auto everywhere = [](const std::string&) { return true; };
    CHECK_FALSE(in_cpu_cgroup("", everywhere));
    CHECK_FALSE(in_cpu_cgroup("no colons here\n", everywhere));
    CHECK_FALSE(in_cpu_cgroup("0::relative/path\n", everywhere));
    CHECK_FALSE(in_cpu_cgroup("0::\n", everywhere));
    CHECK_FALSE(in_cpu_cgroup("1:cpu:/", nowhere));  // no final newline
    CHECK(in_cpu_cgroup("1:cpu:/x", nowhere));
}

TEST_CASE("serve warns only with autogroups on and no CPU cgroup of its own", "[embedded_scheduling]") {
    auto warning = autogroup_warning({.autogroups = true, .in_cpu_cgroup = false});
    REQUIRE(warning);
    CHECK_THAT(*warning, Catch::Contains("CPUWeight=100") && Catch::Contains("sched_autogroup_enabled=0"));
    CHECK_FALSE(autogroup_warning({.autogroups = true, .in_cpu_cgroup = true}));
    CHECK_FALSE(autogroup_warning({.autogroups = false, .in_cpu_cgroup = false}));
}
