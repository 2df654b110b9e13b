# Shell helpers shared by the demo and the bench scripts (sourced, not run):
# wait for a process's ready line, start `switchyard serve` on an embedded
# store, and stop every process started, by pid, on exit or Ctrl-C.
#
#   source "$root/scripts/processes.sh"
#   proc_start_serve "$sy" "$dir/data" "$dir/serve.log" --set ...   # sets serve_pid, api_url
#   proc_track "$pid"       # stopped (TERM, then KILL after 30 s) by proc_stop_all

proc_pids=()

proc_track() { proc_pids+=("$1"); }

# Running, not a zombie waiting to be reaped.
proc_alive() { [[ -r /proc/$1/stat ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

proc_stop_pid() {  # pid
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 300); do proc_alive "$pid" || break; sleep 0.1; done
    proc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

# Newest first: the service goes before the simulator it talks to.
proc_stop_all() {
    local i
    for ((i = ${#proc_pids[@]} - 1; i >= 0; i--)); do proc_stop_pid "${proc_pids[i]}"; done
    proc_pids=()
}

# Waits until a test command succeeds while PID lives; shows LOG if not.
proc_wait_until() {  # what, log, pid, seconds, command...
    local what="$1" log="$2" pid="$3" tries=$(( $4 * 10 ))
    shift 4
    for _ in $(seq 1 "$tries"); do
        "$@" && return 0
        proc_alive "$pid" || { cat "$log" >&2; echo "$(basename "$0"): a process died while starting (waiting for $what)" >&2; return 1; }
        sleep 0.1
    done
    cat "$log" >&2; echo "$(basename "$0"): timed out waiting for $what" >&2; return 1
}

proc_wait_for_line() {  # file, text, pid [, seconds (default 60)]
    proc_wait_until "$2" "$1" "$3" "${4:-60}" grep -q "$2" "$1"
}

# bench/api runs serve as packaging/switchyard.service does: in a CPU cgroup
# of its own, with its embedded PostgreSQL (a child, so in it too), where the
# backends of its reference (pgbench) run as well. Why that matters, with the
# figures, is written once in service/store/embedded_scheduling.h. Sets
# proc_cpu_cgroup, or leaves it empty and says why when this machine does not
# allow it or BENCH_CPU_CGROUP=0 asks so.
proc_cpu_cgroup=""
proc_use_cpu_cgroup() {  # name
    local cg=""
    if [[ "${BENCH_CPU_CGROUP:-1}" == 0 ]]; then
        echo "NOTE: BENCH_CPU_CGROUP=0: serve and its PostgreSQL share the CPU by the kernel's autogroups (man 7 sched)"
        return 0
    elif [[ -d /sys/fs/cgroup/cpu && -w /sys/fs/cgroup/cpu ]]; then
        cg="/sys/fs/cgroup/cpu/$1-$$"  # cgroup v1
    elif grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
        cg="/sys/fs/cgroup/$1-$$"  # cgroup v2: the root must hand the cpu controller down
        grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || cg=""
    fi
    if [[ -n "$cg" ]] && mkdir -p "$cg" 2>/dev/null && [[ -w "$cg/cgroup.procs" ]]; then
        proc_cpu_cgroup="$cg"
        echo "serve and its PostgreSQL run in the CPU cgroup $cg (as packaging/switchyard.service runs them)"
    else
        echo "NOTE: no CPU cgroup could be made here (run as root for one); serve and its PostgreSQL" \
             "share the CPU by the kernel's autogroups (man 7 sched), which costs the API's tail latency"
    fi
}
# After proc_stop_all (a cgroup with processes left in it stays).
proc_remove_cpu_cgroup() { [[ -z "$proc_cpu_cgroup" ]] || rmdir "$proc_cpu_cgroup" 2>/dev/null || true; }

# `switchyard serve` on a private embedded PostgreSQL in DATA, on a free port,
# in proc_cpu_cgroup when set. Sets serve_pid and api_url. The data dir's
# parent must be traversable by the PostgreSQL user (chmod 711) when run as root.
proc_start_serve() {  # switchyard binary, data dir, log file, extra serve arguments...
    local sy="$1" data="$2" log="$3"
    shift 3
    (
        [[ -z "$proc_cpu_cgroup" ]] || echo "$BASHPID" >"$proc_cpu_cgroup/cgroup.procs"
        exec "$sy" serve --data-dir "$data" --listen 127.0.0.1:0 "$@"
    ) >"$log" 2>&1 &
    serve_pid=$!
    proc_track "$serve_pid"
    # Written (atomically) once the API listens, whatever the log level.
    proc_wait_until "$data/api-url" "$log" "$serve_pid" 120 test -s "$data/api-url" || return 1
    api_url="$(cat "$data/api-url")"
}

# The first of COUNT consecutive TCP ports no TCP socket uses (10000-32000,
# below the kernel's default ephemeral range; tests/devices/process.cpp picks
# single ports from 20000-32000).
proc_free_port_range() {  # count
    local used base p
    # TIME-WAIT is left out: a previous run's closed ports linger in it for a
    # minute, and the simulator listens with SO_REUSEADDR anyway.
    used=" $(ss -Htan exclude time-wait 2>/dev/null | awk '{n = split($4, a, ":"); printf "%s ", a[n]}') "
    for _ in $(seq 1 100); do
        # A 10,000-device simulator needs most of the range: with bases
        # from 20000 only, one test server between 22000 and 30000 left
        # no range at all.
        base=$((10000 + RANDOM % (22000 - $1)))
        for ((p = base; p < base + $1; p++)); do [[ "$used" == *" $p "* ]] && continue 2; done
        echo "$base"; return 0
    done
    echo "$(basename "$0"): no range of $1 free ports" >&2; return 1
}

# Peak (VmHWM) and current (VmRSS) resident memory of a process, in KiB; 0
# when it is gone. In the shell alone: benches poll it.
proc_vm_kb() {  # pid, VmHWM | VmRSS
    local key value rest
    { while read -r key value rest; do
        [[ "$key" == "$2:" ]] && { echo "$value"; return; }
    done <"/proc/$1/status"; } 2>/dev/null
    echo 0
}
