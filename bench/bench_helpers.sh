# Shell helpers shared by the benchmark scripts (sourced, not run, after
# scripts/processes.sh): clocks, the simulator started on free ports, the
# embedded PostgreSQL a killed serve leaves behind, and the reference every
# device benchmark compares with (OpenSSH's `ssh` reading each device's config).
#
#   source "$root/scripts/processes.sh"; source "$root/bench/bench_helpers.sh"
#   bench_workdir syncbench                   # sets dir; cleaned up on exit
#   bench_require_tools curl jq ...          # FAIL naming the Debian package
#   bench_start_sim "$sim" "$dir/sim" 1000 50 2000 "$dir/key.pub"   # sets sim_pid
#   bench_openssh_reads "$inventory" "$dir/key" "$dir/sim/known_hosts" 50 "$run"
#   # sets ref_s ref_ok ref_bytes ref_rc; bench_stop_reference in the EXIT trap

# A private work directory (its parent traversable by the embedded
# PostgreSQL's user when run as root), removed on exit or Ctrl-C with every
# process started (proc_track), the reference's ssh clients and the embedded
# PostgreSQL of `data` (the serve's data directory, set by the script) that a
# killed serve leaves running. Sets dir and data ("").
#
# The device benchmarks run serve, the simulator and the reference's ssh
# clients in the script's session, one scheduling group (not in a CPU cgroup
# of serve's own, proc_use_cpu_cgroup): the reference is scheduled so, and a
# cgroup would give serve half the CPU against the simulator, whose 1,000
# devices are, in a deployment, other machines. Measured with one (1,000
# devices, 2 cores): dry run 0.72 x OpenSSH against 0.48 x without, live sync
# 2.57 x against 1.72 x.
bench_workdir() {  # name
    dir="$(mktemp -d "/tmp/sy-$1-XXXXXX")"; chmod 711 "$dir"
    data=""
    trap bench_cleanup EXIT
    trap 'echo; echo "interrupted; cleaning up ..."; exit 130' INT TERM
}
bench_cleanup() {
    bench_stop_reference
    proc_stop_all
    bench_stop_orphan_postgres "$data"
    rm -rf "$dir"
}

bench_now() { echo "$EPOCHREALTIME"; }
# Sets the variable named VAR to time T (seconds, with any number of
# decimals: bench_now, date +%s.%N) in microseconds; false for what is not a
# time.
bench_us() {  # var, t
    [[ "$2" =~ ^([0-9]+)(\.([0-9]*))?$ ]] || return 1
    local f="${BASH_REMATCH[3]}000000"
    printf -v "$1" '%d' $(( 10#${BASH_REMATCH[1]} * 1000000 + 10#${f:0:6} ))
}
# B - A in seconds, to the hundredth ("?" when either is not a time), in the
# shell alone (for loops that poll: no process started).
bench_elapsed() {  # a, b
    local ua ub d sign=""
    bench_us ua "$1" && bench_us ub "$2" || { printf '?'; return; }
    d=$(( (ub - ua) / 10000 ))
    (( d < 0 )) && { sign="-"; d=$(( -d )); }
    printf '%s%d.%02d' "$sign" $((d / 100)) $((d % 100))
}
bench_since() { bench_elapsed "$1" "$EPOCHREALTIME"; }  # start
# True unless PID is gone or a zombie, read in the shell alone.
bench_proc_running() {  # pid
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != Z ]]
}
# A job document's status and progress, by pattern (a poll every 100 ms that
# started jq twice took a tenth of the machine it measured). The job's own
# status is the first upper-case "status" (the envelope's is "success");
# progress is a flat object. Sets job_status ("?" when none) and job_line
# ("STATUS done/total phase").
bench_job_line() {  # document
    local ws='[[:space:]]*' progress="" done="-" total="-" phase=""
    job_status="?"
    [[ "$1" =~ \"status\"$ws:$ws\"([A-Z_]+)\" ]] && job_status="${BASH_REMATCH[1]}"
    if [[ "$1" =~ \"progress\"$ws:$ws(\{[^}]*\}) ]]; then
        progress="${BASH_REMATCH[1]}"
        [[ "$progress" =~ \"done\"$ws:$ws([0-9]+) ]] && done="${BASH_REMATCH[1]}"
        [[ "$progress" =~ \"total\"$ws:$ws([0-9]+) ]] && total="${BASH_REMATCH[1]}"
        [[ "$progress" =~ \"phase\"$ws:$ws\"([^\"]*)\" ]] && phase="${BASH_REMATCH[1]}"
        job_line="$job_status $done/$total $phase"
    else
        job_line="$job_status "
    fi
}
bench_mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# Seconds since the epoch of an ISO 8601 time with its offset (the API's times).
bench_epoch() { date -d "$1" +%s.%N; }

bench_require_tools() {  # tool...
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "FAIL: $tool missing: apt-get install $(case $tool in ssh*) echo openssh-client ;;
            psql) echo postgresql-client ;; xargs) echo findutils ;; ss) echo iproute2 ;; timeout | date) echo coreutils ;;
            awk) echo gawk ;; *) echo "$tool" ;; esac)"; exit 1; }
    done
}

# switchyard-sim with COUNT devices (frr, eos, junos round-robin) on free
# ports, waiting for its ready line. The ports are free when chosen but bound
# only once every config is generated (30-90 s for 10,000 devices): another
# process may take one meanwhile, so a taken port means trying again elsewhere.
# Sets sim_pid and sim_ready_s. Its log: STATE_DIR.log, STATE_DIR.stderr.
bench_start_sim() {  # simulator binary, state dir, count, latency ms, config lines (0: default), authorized keys
    local sim="$1" state="$2" count="$3" latency="$4" lines="$5" keys="$6" attempt base_port s0
    local sized=()
    ((lines > 0)) && sized=(--config-lines "$lines")
    for attempt in 1 2 3; do
        base_port="$(proc_free_port_range "$count")"
        s0="$(bench_now)"
        "$sim" --state-dir "$state" --devices "$count" --base-port "$base_port" --platforms frr,eos,junos \
            --latency-ms "$latency" --authorized-keys "$keys" "${sized[@]}" >"$state.log" 2>"$state.stderr" &
        sim_pid=$!
        proc_track "$sim_pid"
        if proc_wait_for_line "$state.log" "switchyard-sim ready" "$sim_pid" 600; then
            sim_ready_s="$(bench_elapsed "$s0" "$(bench_now)")"
            return 0
        fi
        if ((attempt < 3)) && grep -q "Address already in use" "$state.stderr"; then
            echo "  a port of $base_port..$((base_port + count - 1)) was taken while the simulator started; again on others"
            continue
        fi
        cat "$state.stderr"; echo "FAIL: switchyard-sim did not start"; exit 1
    done
}

# What the simulator's devices were asked between two `stats` replies
# (switchyard-sim's traffic counters), per device of each platform: SSH
# sessions, exec channels, shell lines typed, round trips (answers that
# waited out the device's latency), full config reads and KB sent. Devices
# per platform: round-robin frr, eos, junos over the first COUNT.
bench_traffic_per_device() {  # stats JSON before, stats JSON after, device count
    jq -r --argjson n "$3" -n --argjson a "$1" --argjson b "$2" '
        ["frr", "eos", "junos"] as $p
        | range(0; 3) as $i
        | (($n - $i + 2) / 3 | floor) as $d
        | select($d > 0)
        | $p[$i] as $k | ($b.traffic[$k]) as $y | ($a.traffic[$k]) as $x
        | def per(f): ((($y | f) - ($x | f)) / $d * 10 | round / 10);
          "  per \($k) device (\($d)): \(per(.sessions)) sessions, \(per(.exec_channels)) exec," +
          " \(per(.shell_lines)) shell lines, \(per(.round_trips)) round trips, \(per(.config_reads)) config reads," +
          " \((($y.bytes_out - $x.bytes_out) / $d / 1024 * 10 | round) / 10) KB sent"'
}

# CPU time (user + system, in clock ticks) process PID has used; with
# "tree", also what its live children used and what its reaped children
# did (PostgreSQL's postmaster reaps every backend that exits). Wall time
# on a shared 2-core machine varies by a quarter from run to run; the CPU
# a run costs varies far less, so A/B comparisons read this.
bench_cpu_ticks() {  # pid [tree]
    local f c ticks=0
    [[ -r /proc/$1/stat ]] || { echo 0; return; }
    # After "pid (comm) ": [0] state ... [11] utime [12] stime [13] cutime [14] cstime.
    read -r -a f < <(sed 's/^.*) //' "/proc/$1/stat")
    ticks=$((f[11] + f[12]))
    if [[ "${2:-}" == tree ]]; then
        ticks=$((ticks + f[13] + f[14]))
        for c in $(pgrep -P "$1" || true); do
            read -r -a f < <(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null || echo "")
            ((${#f[@]} > 12)) && ticks=$((ticks + f[11] + f[12]))
        done
    fi
    echo "$ticks"
}

# A serve killed (or stopped by force) leaves its embedded PostgreSQL running.
bench_stop_orphan_postgres() {  # data dir
    local pm="$1/pg/postmaster.pid"
    if [[ -n "$1" && -s "$pm" ]]; then kill -TERM "$(head -1 "$pm")" 2>/dev/null || true; fi
}

# The reference: OpenSSH's client doing the reads Switchyard must do, one
# `ssh` per device of INVENTORY under `xargs -P CONCURRENCY`, as
# bench/devices/bench_fetch.cpp does: strict host keys against the
# simulator's known_hosts, key auth, output kept per device in
# WORK/openssh-out. A read that has not ended after 120 s is stopped (xargs
# then exits non-zero). Sets ref_s (wall seconds), ref_ok (devices that
# answered), ref_bytes, ref_rc (xargs' exit status: 0 or the figure is not
# comparable).
bench_xargs_pid=""
bench_openssh_reads() {  # inventory.json, private key, known_hosts, concurrency, work dir
    local inventory="$1" key="$2" known_hosts="$3" concurrency="$4" work="$5" script r0
    mkdir -p "$work/openssh-out"
    jq -r '.[] | "\(.port) \(if .platform == "junos" then "show configuration" else "show running-config" end)"' \
        "$inventory" >"$work/targets.txt"
    script="exec timeout 120 ssh -q -p \"\$0\" -i $key -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
    script+=" -o UserKnownHostsFile=$known_hosts -o ConnectTimeout=10 -l admin 127.0.0.1 \"\$1 \$2\""
    script+=" > $work/openssh-out/\$0"
    r0="$(bench_now)"
    xargs -P "$concurrency" -L 1 -a "$work/targets.txt" sh -c "$script" >"$work/xargs.log" 2>&1 &
    bench_xargs_pid=$!
    ref_rc=0
    wait "$bench_xargs_pid" || ref_rc=$?
    bench_xargs_pid=""
    ref_s="$(bench_elapsed "$r0" "$(bench_now)")"
    ref_ok="$(find "$work/openssh-out" -type f -size +0 | wc -l)"
    ref_bytes="$(du -sb "$work/openssh-out" | awk '{print $1}')"
}

# For the EXIT trap: the reference's ssh clients are children of xargs.
bench_stop_reference() {
    [[ -n "$bench_xargs_pid" ]] || return 0
    pkill -TERM -P "$bench_xargs_pid" 2>/dev/null || true
    proc_stop_pid "$bench_xargs_pid"
    bench_xargs_pid=""
}

# One effective setting (section.key) out of `switchyard config show`'s YAML,
# with the arguments given (--data-dir, --set ...).
bench_setting() {  # switchyard binary, section.key, arguments...
    local sy="$1" key="$2"
    shift 2
    "$sy" config show "$@" | awk -v k="$key" '/^[^ ]/ { sec = $1; sub(/:$/, "", sec) }
        /^  [^ ]/ { key = $1; sub(/:$/, "", key); if (sec "." key == k) { print $2; exit } }'
}

# Intended configs given whole, through the ordinary templates/settings
# mechanism: TEMPLATES holds one template per platform that writes the
# device's `intended_config` lines, SETTINGS/devices/HOST.yml one file per
# device (write them with bench_as_settings). Serve with
# --set sync.templates_dir=TEMPLATES --set sync.settings_dir=SETTINGS.
bench_templates_from_settings() {  # templates dir, settings dir, who (for the template's comment)
    local templates="$1" settings="$2" who="$3" platform
    mkdir -p "$settings/devices"
    for platform in frr eos junos; do
        mkdir -p "$templates/$platform"
        printf '%s: device.mustache\n' ACCESS DIST CORE UNKNOWN >"$templates/$platform/mapping.yml"
        printf '{{! The device'"'"'s whole config, from its settings (%s). }}\n%s\n%s\n%s\n' \
            "$who" '{{#intended_config}}' '{{.}}' '{{/intended_config}}' >"$templates/$platform/device.mustache"
    done
    echo "{}" >"$settings/global.yml"
}

# Lines -> YAML: intended_config: a list of double-quoted strings.
bench_as_settings() {
    echo "intended_config:"
    awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "  - \"" $0 "\"" }'
}

# A config (file, as the device shows it) without its first LIMIT
# prefix-list entries, the first entry of each list excepted (no list is
# emptied), in each platform's show syntax (tests/sim/sized_configs.cpp):
# a change of LIMIT lines. Fails when the config has fewer to remove.
bench_without_entries() {  # platform, limit, config file
    awk -v platform="$1" -v limit="$2" '
        function entry() {  # an entry of a prefix list; sets `list`
            if (platform == "frr") { if ($0 ~ /^ip prefix-list [^ ]+ seq [0-9]+ /) { list = $3; return 1 } return 0 }
            if (platform == "eos") {
                if ($0 ~ /^ip prefix-list [^ ]+$/) { list = $3; return 0 }
                if (list != "" && $0 ~ /^   seq [0-9]+ /) return 1
                list = ""; return 0
            }
            if ($0 ~ /^    prefix-list [^ ]+ \{$/) { list = $2; return 0 }
            if (list != "" && $0 ~ /^        [0-9][0-9.:a-f]*\/[0-9]+;$/) return 1
            list = ""; return 0
        }
        { if (entry() && removed < limit && kept[list]++) { removed++; next } print }
        END { if (removed < limit) { print FILENAME ": only " removed " prefix-list entries to remove" >"/dev/stderr"; exit 1 } }
    ' "$3"
}
