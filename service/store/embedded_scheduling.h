// Whether the kernel schedules the embedded PostgreSQL's backends against
// serve by autogroups, which multiplies the API's tail latency under load.
//
// With autogroups on (man 7 sched; Debian's kernels enable them), each
// session is a scheduling group that weighs as much as any other, and
// PostgreSQL makes every backend a session (setsid). Eight busy backends then
// get eight shares to serve's one, all its threads together: bench/api
// measured GET /jobs at 8 connections with a p99 of 33-490 ms that way and
// 7-11 ms with serve and its database in one CPU cgroup (2 cores). A CPU
// cgroup other than the root one turns autogroups off for its processes, and
// the packaged unit makes one (CPUWeight=100).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::store {

struct CpuScheduling {
    bool autogroups = false;     // /proc/sys/kernel/sched_autogroup_enabled is 1
    bool in_cpu_cgroup = false;  // a CPU cgroup other than the root one
};

// Reads /proc/sys/kernel/sched_autogroup_enabled, /proc/self/cgroup and, for
// cgroup v2, which cgroups have the cpu controller (/sys/fs/cgroup).
CpuScheduling read_cpu_scheduling();

// Whether /proc/self/cgroup's text puts this process in a CPU cgroup other
// than the root one. cgroup v1: the hierarchy listing "cpu" names a path
// other than "/". cgroup v2 ("0::<path>"): `cpu_controlled(path)` is true for
// the path or one of its ancestors ("/" included: in a container the root of
// the namespace may be a cgroup of the host's).
bool in_cpu_cgroup(std::string_view proc_self_cgroup, const std::function<bool(const std::string&)>& cpu_controlled);

// What serve logs once when it runs the embedded PostgreSQL under autogroups,
// or nothing.
std::optional<std::string> autogroup_warning(const CpuScheduling& s);

}  // namespace switchyard::store
