#!/usr/bin/env bash
# Recovery benchmark (issue 10): 1,000 simulated devices interrupted mid-push
# by `kill -9` of the serve pushing to them, brought back whole by a second
# serve; the target is kill -> every device whole in under 30 s.
#   - switchyard-sim: BENCH_DEVICES devices (frr, eos, junos), BENCH_LATENCY_MS
#     per command (every config line typed is a command), configs of about
#     BENCH_CONFIG_LINES lines;
#   - each device's intended config is its running config without
#     BENCH_CHANGE_LINES prefix-list entries (a change of that many lines, as
#     tests/service/recovery_test.cpp removes 150 routes), given through the
#     ordinary templates/settings mechanism: sync.templates_dir holds one
#     template per platform that writes the device's `intended_config` lines,
#     sync.settings_dir one devices/HOST.yml per device;
#   - serve 1 (embedded PostgreSQL, ssh.concurrency = BENCH_DEVICES so every
#     device is in flight at once) runs a live sync of all devices; once the
#     change journal (device_change_journal) has an entry for every device
#     (every push begun; frr applies each line as it is typed, eos and junos
#     only at their commit), serve 1 is killed with SIGKILL;
#   - serve 2, the rescuer, starts on the same data directory (it finds the
#     embedded PostgreSQL still running and uses it) with the default
#     ssh.concurrency; jobs.worker_lease_seconds and jobs.leader_lease_seconds
#     are BENCH_LEASE_SECONDS for both, jobs.heartbeat_interval_ms a quarter of it
#     (a 2 s lease left the pusher's heartbeat 1 s before fencing stopped its
#     sync, and 1,000 device threads on 2 cores made it miss that);
#   - measured: (a) kill -> the sync job ended EXCEPTION naming its recovery
#     job; (b) the recovery job's start -> finish; (c) kill -> every device
#     whole (the recovery job's finish); the rescuer's peak RSS; what the
#     recovery asked each device, per platform (the simulator's counters:
#     sessions, exec channels, shell lines, round trips, config reads, bytes),
#     which do not depend on the machine's load;
#   - checked: the recovery's outcome per device (all `restored`, or all
#     `completed` with BENCH_ON_INTERRUPTED=complete), and every device's
#     config on the simulator (its state dir's running.conf): a device the
#     recovery handled holds exactly the config the target names, every other
#     one (its change verified before the kill) the intended one;
#   - reference, same run (on the idle fleet, before the sync; its reads are
#     also what the intended configs are made from): OpenSSH's `ssh` under
#     `xargs -P <the rescuer's ssh.concurrency>` reading every device's config
#     (a recovery must at least read every device), as
#     bench/sync/sync_bench.sh does.
# A device left not whole, an outcome other than the target's, or a job that
# does not end within BENCH_TIMEOUT_SECONDS exits 1; a missed target is
# printed ("target missed") but exits 0.
#
# Usage: bench/recovery/recovery_bench.sh [BUILD_DIR]
# Environment: BENCH_DEVICES (1000), BENCH_CONFIG_LINES (2000), BENCH_LATENCY_MS
# (50), BENCH_CHANGE_LINES (150), BENCH_LEASE_SECONDS (4), BENCH_ON_INTERRUPTED
# (rollback | complete), BENCH_SERVE_SET (extra `--set k=v` for both serves,
# space separated), BENCH_TIMEOUT_SECONDS (600: each wait ends by then).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
sy="$build/bin/switchyard"
sim="$build/bin/switchyard-sim"
n="${BENCH_DEVICES:-1000}"
config_lines="${BENCH_CONFIG_LINES:-2000}"
latency_ms="${BENCH_LATENCY_MS:-50}"
change_lines="${BENCH_CHANGE_LINES:-150}"
lease_s="${BENCH_LEASE_SECONDS:-4}"
on_interrupted="${BENCH_ON_INTERRUPTED:-rollback}"
timeout_s="${BENCH_TIMEOUT_SECONDS:-600}"
target_seconds=30  # issue 10
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "FAIL: BENCH_DEVICES: '$n' is not a count"; exit 1; }
for v in config_lines latency_ms change_lines lease_s timeout_s; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "FAIL: $v: '${!v}' is not a number"; exit 1; }
done
((config_lines >= 150)) || { echo "FAIL: BENCH_CONFIG_LINES must be at least 150 (configs with prefix lists)"; exit 1; }
case "$on_interrupted" in rollback) outcome=restored ;; complete) outcome=completed ;;
    *) echo "FAIL: BENCH_ON_INTERRUPTED: '$on_interrupted' (rollback or complete)"; exit 1 ;; esac
for bin in "$sy" "$sim"; do [[ -x "$bin" ]] || { echo "FAIL: $bin not built (targets switchyard switchyard-sim)"; exit 1; }; done
source "$root/scripts/processes.sh"
source "$root/bench/bench_helpers.sh"
bench_require_tools curl jq ssh xargs ssh-keygen psql ss timeout date awk

bench_workdir recoverybench
data="$dir/data"
deadline_passed() { (( ${EPOCHREALTIME%.*} - ${1%.*} > timeout_s )); }

# --- the devices ---------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$dir/key"
echo "starting switchyard-sim: $n devices (frr,eos,junos), $latency_ms ms per command, configs of $config_lines lines"
bench_start_sim "$sim" "$dir/sim" "$n" "$latency_ms" "$config_lines" "$dir/key.pub"
echo "  ready in $sim_ready_s s"
inventory="$dir/sim/inventory.json"
sim_stats() { "$sim" --state-dir "$dir/sim" --ctl '{"op":"stats"}'; }
running_conf() { echo "$dir/sim/devices/$1/running.conf"; }  # the simulator's canonical config, rewritten on each change

export SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME=admin SWITCHYARD_CREDENTIALS_DEFAULT_KEY_FILE="$dir/key"
common_set=(--set "sync.templates_dir=$dir/templates" --set "sync.settings_dir=$dir/settings"
            --set "jobs.worker_lease_seconds=$lease_s" --set "jobs.leader_lease_seconds=$lease_s"
            --set "jobs.heartbeat_interval_ms=$((lease_s * 250))")  # four per lease, the least settings allow
for kv in ${BENCH_SERVE_SET:-}; do common_set+=(--set "$kv"); done
# The pusher opens all BENCH_DEVICES sessions at once on the machine that also
# runs the simulator: 1,000 handshakes at once on 2 cores took longer than the
# default connect timeout, and a device that never connects never begins its
# push, so the kill would never come. The rescuer keeps the default.
pusher_set=("${common_set[@]}" --set "ssh.concurrency=$n" --set "ssh.connect_timeout_seconds=120")
rescuer_set=("${common_set[@]}" --set "sync.on_interrupted=$on_interrupted")
concurrency="$(bench_setting "$sy" ssh.concurrency --data-dir "$data" "${rescuer_set[@]}")"
[[ "$concurrency" =~ ^[0-9]+$ ]] || { echo "FAIL: cannot read ssh.concurrency from 'switchyard config show'"; exit 1; }

# --- the reference: every device's config read by OpenSSH, as many at once as the rescuer
# (on the idle fleet, before the sync; its reads are also the configs the
# intended ones are made from).
bench_openssh_reads "$inventory" "$dir/key" "$dir/sim/known_hosts" "$concurrency" "$dir/reference"
echo "  reference: openssh ssh | xargs -P $concurrency reading every device: $ref_s s, $ref_ok/$n answered," \
     "$(bench_mb "$ref_bytes") MB (xargs exit $ref_rc)"
if [[ "$ref_ok" != "$n" || "$ref_rc" != 0 ]]; then
    head -5 "$dir/reference/xargs.log"; echo "FAIL: the reference read $ref_ok of $n devices (xargs exit $ref_rc)"; exit 1
fi

# --- the intended configs: the running one without CHANGE prefix-list entries --------
# The same lines also go from the simulator's stored form of the config, to
# check the devices with.
bench_templates_from_settings "$dir/templates" "$dir/settings" "the recovery bench"
mkdir -p "$dir/before" "$dir/intended"
while read -r host platform port; do
    cp "$(running_conf "$host")" "$dir/before/$host"
    bench_without_entries "$platform" "$change_lines" "$dir/before/$host" >"$dir/intended/$host"
    bench_without_entries "$platform" "$change_lines" "$dir/reference/openssh-out/$port" |
        bench_as_settings >"$dir/settings/devices/$host.yml"
done < <(jq -r '.[] | "\(.hostname) \(.platform) \(.port)"' "$inventory")
echo "  intended configs: each device's without $change_lines of its prefix-list entries (templates and settings in $dir)"

# --- serve 1: the live sync it is killed in the middle of ----------------------------
sy() { "$sy" "$@" --data-dir "$data"; }
psql_count() { psql "host=$data/pg user=switchyard dbname=switchyard" -Atc "$1"; }

proc_start_serve "$sy" "$data" "$dir/serve1.log" "${pusher_set[@]}"
pusher_pid=$serve_pid
echo
echo "serve 1 (the pusher): $api_url, embedded store; ssh.concurrency=$n, leases $lease_s s" \
     "${BENCH_SERVE_SET:+(explicit: $BENCH_SERVE_SET)}"
sy devices import "$inventory" | sed 's/^/  /'
token="$(sy token --sub bench --role operator --ttl 2h)"
api() { curl -sS --max-time 120 --fail-with-body -H "Authorization: Bearer $token" "$@"; }
job_doc() { api "$api_url/api/v1.0/job/$1?filter_jobresult=config,diff"; }

# Mid-push: the kill comes once every device's push has begun (journalled).
# frr applies each line as it is typed (the count of frr devices changed
# says how far they got), eos and junos only at their commit; a device whose
# push ended before the kill is verified and closed, not recovered.
frr_confs=()
while read -r host; do frr_confs+=("$(running_conf "$host")"); done < <(jq -r '.[] | select(.platform == "frr") | .hostname' "$inventory")
touch "$dir/before-sync"
frr_changed() { find "${frr_confs[@]}" -newer "$dir/before-sync" | wc -l; }
t0="$(bench_now)"
# confirm_mode 0, as measured when the bench was written: the default became
# CNaaS-NMS's 1 (sync.default_confirm_mode), which adds a confirm per device.
reply="$(api -X POST -H 'Content-Type: application/json' \
    -d '{"all": true, "dry_run": false, "confirm_mode": 0, "comment": "recovery bench"}' "$api_url/api/v1.0/device_syncto")"
sync_job="$(jq -r '.job_id' <<<"$reply")"
[[ "$sync_job" =~ ^[0-9]+$ ]] || { echo "FAIL: device_syncto: $reply"; exit 1; }
# Every device's change journalled (its push begun), the job still running.
last=""
while :; do
    read -r entries open < <(psql_count "SELECT count(*), count(*) FILTER (WHERE closed_at IS NULL)
        FROM device_change_journal WHERE job_id = $sync_job" | tr '|' ' ')
    status="$(job_doc "$sync_job" | jq -r '.data.jobs[0].status' 2>/dev/null || echo "?")"
    changed="$(frr_changed)"
    seen="$status: $entries journalled, $open open; $changed of ${#frr_confs[@]} frr devices changed"
    if [[ "$seen" != "$last" ]]; then
        echo "  +$(bench_elapsed "$t0" "$(bench_now)") s  sync job $sync_job $seen"; last="$seen"
    fi
    [[ "$status" == RUNNING && "$entries" == "$n" ]] && break
    case "$status" in FINISHED | EXCEPTION | ABORTED)
        echo "FAIL: the sync job ended $status before every device's push began ($entries of $n)"
        # What the devices say, grouped by outcome and message: those that
        # never began a push stand apart from the others.
        job_doc "$sync_job" | jq -r '.data.jobs[0] | (.exception // empty | tostring),
            (.result.devices // {} | to_entries
             | map(.value.said = ([.value.job_tasks[]? | select(.failed) | "\(.task_name): \(.result | tostring)"] | join("; ")
                                  | gsub("device [^ ]+ \\([^)]*\\): "; "") | .[0:300]))
             | group_by([.value.failed, .value.said])
             | .[] | "  \(length) device(s), e.g. \(.[0].key): failed=\(.[0].value.failed) change_score=\(.[0].value.change_score): \(.[0].value.said)")' |
            head -c 4000 || true; echo
        echo "serve 1's last warnings and errors:"; grep -E ' (warning|error|critical) ' "$dir/serve1.log" | tail -15 | cut -c1-400
        exit 1 ;; esac
    proc_alive "$pusher_pid" || { tail -20 "$dir/serve1.log"; echo "FAIL: serve 1 died"; exit 1; }
    deadline_passed "$t0" && { echo "FAIL: after $timeout_s s only $entries of $n devices' pushes had begun"; exit 1; }
    sleep 0.2
done
kill -KILL "$pusher_pid"
t_kill="$(bench_now)"
wait "$pusher_pid" 2>/dev/null || true
open_at_kill="$(psql_count "SELECT count(*) FROM device_change_journal WHERE job_id = $sync_job AND closed_at IS NULL")"
phases="$(psql_count "SELECT string_agg(phase || ' ' || c, ', ') FROM (SELECT phase, count(*) c FROM device_change_journal
    WHERE job_id = $sync_job AND closed_at IS NULL GROUP BY phase ORDER BY phase) p")"
echo "kill -9 of serve 1 at +$(bench_elapsed "$t0" "$t_kill") s: $open_at_kill of $n devices mid-change ($phases);" \
     "$changed of ${#frr_confs[@]} frr devices ran part of their change"
((open_at_kill == n)) || echo "  WARNING: $((n - open_at_kill)) devices finished their change before the kill; the recovery handles $open_at_kill"

# --- serve 2: the rescuer --------------------------------------------------------------
traffic_before="$(sim_stats)"  # from here on the devices are asked by the recovery only
rm -f "$data/api-url"  # serve 1's; serve 2 writes its own once it listens
proc_start_serve "$sy" "$data" "$dir/serve2.log" "${rescuer_set[@]}"
rescuer_pid=$serve_pid
t_up="$(bench_now)"
echo "serve 2 (the rescuer): $api_url, the same data directory; API up $(bench_elapsed "$t_kill" "$t_up") s after the kill;" \
     "ssh.concurrency=$concurrency sync.on_interrupted=$on_interrupted"

# Reads job $1's document into $doc and its status into $status ("?" when
# unreadable) every 0.1 s until `$2 "$status"` holds, running $3 (when not
# empty) after each read. Fails, naming the job as $4, when serve 2 dies or
# when $timeout_s pass after the kill.
await_job() {  # job id, test of the status, what to run after each read, what
    while :; do
        doc="$(job_doc "$1" || true)"
        bench_job_line "$doc"  # sets job_status, job_line: no jq in the poll
        status="$job_status"
        if [[ -n "$3" ]]; then "$3"; fi
        "$2" "$status" && return
        proc_alive "$rescuer_pid" || { tail -20 "$dir/serve2.log"; echo "FAIL: serve 2 died"; exit 1; }
        deadline_passed "$t_kill" && { echo "FAIL: $4 was still $status $timeout_s s after the kill"; exit 1; }
        sleep 0.1
    done
}

# (a) the sync job ends, naming its recovery job.
left_running() { [[ "$1" != RUNNING && "$1" != "?" ]]; }
await_job "$sync_job" left_running "" "the sync job"
t_ended_seen="$(bench_now)"
sync_status="$status"
recovery_job="$(jq -r '.data.jobs[0].result.recovery_job_id // empty' <<<"$doc")"
exception_type="$(jq -r '.data.jobs[0].exception.type // empty' <<<"$doc")"
sync_finish="$(jq -r '.data.jobs[0].finish_time // empty' <<<"$doc")"
if [[ "$sync_status" != EXCEPTION || ! "$recovery_job" =~ ^[0-9]+$ ]]; then
    echo "FAIL: the sync job ended $status (${exception_type:-no exception}) naming recovery job '${recovery_job}'"
    jq -c '.data.jobs[0] | {status, exception, next_job_id}' <<<"$doc" | head -c 2000; echo; exit 1
fi
a_s="$(bench_elapsed "$t_kill" "$(bench_epoch "${sync_finish:-@${t_ended_seen}}")")"

# (b), (c) the recovery job ends.
ended() { case "$1" in FINISHED | EXCEPTION | ABORTED) return 0 ;; esac; return 1; }
show_progress() {  # each new status and progress of the recovery job
    bench_job_line "$doc"
    seen="$job_line"
    if [[ "$seen" != "$last" ]]; then echo "  +$(bench_elapsed "$t_kill" "$(bench_now)") s after the kill  recovery job $recovery_job $seen"; last="$seen"; fi
}
last=""
await_job "$recovery_job" ended show_progress "recovery job $recovery_job"
t_whole_seen="$(bench_now)"
traffic_after="$(sim_stats)"
peak_kb="$(proc_vm_kb "$rescuer_pid" VmHWM)"
rec_start="$(jq -r '.data.jobs[0].start_time // empty' <<<"$doc")"
rec_finish="$(jq -r '.data.jobs[0].finish_time // empty' <<<"$doc")"
if [[ -n "$rec_start" && -n "$rec_finish" ]]; then
    start_s="$(bench_elapsed "$t_kill" "$(bench_epoch "$rec_start")")"
    b_s="$(bench_elapsed "$(bench_epoch "$rec_start")" "$(bench_epoch "$rec_finish")")"
    c_s="$(bench_elapsed "$t_kill" "$(bench_epoch "$rec_finish")")"
else
    start_s="?"; b_s="?"; c_s="$(bench_elapsed "$t_kill" "$t_whole_seen")"
fi
results="$(jq -c '.data.jobs[0].result.devices // {}' <<<"$doc")"
counts="$(jq -r '[.[] | .outcome] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' <<<"$results")"
in_result="$(jq 'length' <<<"$results")"
pushed="$(jq '[.[] | select(.job_tasks[0].result | test("^(restored|completed): it already") | not)] | length' <<<"$results")"
# Per platform: devices recovered and of those pushed (a pushed device is read
# twice, one found whole once), to read the simulator's per-device counters by.
pushed_per_platform="$(jq -r --argjson r "$results" '
    map({platform, hostname}) | group_by(.platform) | map(
        .[0].platform as $p | [.[] | $r[.hostname] | select(. != null)] as $d
        | "\($p) \($d | length) (\([$d[] | select(.job_tasks[0].result | test("^(restored|completed): it already") | not)] | length) pushed)")
    | join(", ")' "$inventory")"
wrong="$(jq -r --arg o "$outcome" 'to_entries[] | select(.value.outcome != $o or .value.failed)
    | "\(.key): \(.value.outcome) \(.value.job_tasks[0].result // "")"' <<<"$results")"

# Every device whole, as the simulator holds it.
# The same bytes; on frr the same lines in another order will do (the
# simulator appends a line put back at the end of its kind, as `ip
# prefix-list` entries: each is a whole statement, its order in the show
# output is not config).
same_config() {  # platform, config file, expected file
    cmp -s "$2" "$3" && return 0
    [[ "$1" == frr ]] && cmp -s <(LC_ALL=C sort "$2") <(LC_ALL=C sort "$3") && { reordered=$((reordered + 1)); return 0; }
    return 1
}
recovered_hosts=" $(jq -r 'keys | join(" ")' <<<"$results") "
not_whole=()
at_old=0; at_new=0; reordered=0
while read -r host platform; do
    conf="$(running_conf "$host")"
    if same_config "$platform" "$conf" "$dir/before/$host"; then at_old=$((at_old + 1)); now_at=old
    elif same_config "$platform" "$conf" "$dir/intended/$host"; then at_new=$((at_new + 1)); now_at=new
    else not_whole+=("$host: neither its old config nor its intended one"); continue; fi
    if [[ "$recovered_hosts" == *" $host "* ]]; then
        want=old; [[ "$on_interrupted" == complete ]] && want=new
    else
        want=new  # its change was verified before the kill
    fi
    [[ "$now_at" == "$want" ]] || not_whole+=("$host: holds its $now_at config, not its $want one")
done < <(jq -r '.[] | "\(.hostname) \(.platform)"' "$inventory")

echo
echo "== recovery of $n devices interrupted mid-push (sync.on_interrupted=$on_interrupted;" \
     "$latency_ms ms per command, configs of $config_lines lines, a change of $change_lines lines) =="
echo "  sync job $sync_job ended $sync_status ($exception_type), naming recovery job $recovery_job:" \
     "$a_s s after the kill (a; leases $lease_s s; rescuer API up after $(bench_elapsed "$t_kill" "$t_up") s)"
echo "  recovery job $recovery_job started $start_s s after the kill, ran $b_s s (b), ended $status"
echo "  kill -> every device whole: $c_s s (c)"
echo "  outcomes: ${counts:-none} ($in_result devices in the result, $open_at_kill left mid-change;" \
     "$pushed pushed, $((in_result - pushed)) found already whole)"
echo "  simulator: $at_old devices at their old config, $at_new at their intended one, ${#not_whole[@]} neither/wrong" \
     "($reordered frr configs hold the same lines in another order)"
echo "  rescuer peak RSS (VmHWM) $((peak_kb / 1024)) MB (PostgreSQL not counted)"
echo "  what the devices were asked during the recovery (simulator counters; recovered: $pushed_per_platform):"
bench_traffic_per_device "$traffic_before" "$traffic_after" "$n"
echo "  reference (before the sync): openssh ssh | xargs -P $concurrency reading every device: $ref_s s"
awk -v b="$b_s" -v c="$c_s" -v r="$ref_s" 'BEGIN {
    if (b != "?") printf "  ratio recovery job / openssh reads: %.2f; kill -> whole / openssh reads: %.2f\n", b / r, c / r
    else printf "  ratio kill -> whole / openssh reads: %.2f\n", c / r }'
if awk -v c="$c_s" -v t="$target_seconds" 'BEGIN { exit !(c < t) }'; then
    echo "  target kill -> whole under $target_seconds s: target met ($c_s s)"
else
    echo "  target kill -> whole under $target_seconds s: target missed ($c_s s)"
fi

failures=()
[[ "$status" == FINISHED ]] || failures+=("recovery job $recovery_job ended $status")
((in_result == open_at_kill)) || failures+=("$in_result devices in the recovery's result, $open_at_kill were left mid-change")
if [[ -n "$wrong" ]]; then
    failures+=("$(wc -l <<<"$wrong") devices not $outcome")
    head -10 <<<"$wrong" | sed 's/^/  not '"$outcome"': /'
fi
if ((${#not_whole[@]})); then
    failures+=("${#not_whole[@]} devices not whole on the simulator")
    printf '  not whole: %s\n' "${not_whole[@]:0:10}"
    first="${not_whole[0]%%:*}"
    echo "  $first: diff of its old config and what it runs now (first lines):"
    diff "$dir/before/$first" "$(running_conf "$first")" | head -20 | sed 's/^/    /' || true
fi
if ((${#failures[@]})); then
    printf 'FAIL: %s\n' "${failures[@]}"
    exit 1
fi
