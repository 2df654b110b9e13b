#!/usr/bin/env bash
# Sync benchmark: a dry-run sync of 1,000 simulated devices (frr, eos, junos;
# 50 ms per command) through the API, on Switchyard's default settings.
#   - switchyard-sim serves the devices; `switchyard serve` runs on an embedded
#     store in a temp dir; the simulator's inventory is imported;
#   - POST /api/v1.0/device_syncto {"all": true, "dry_run": true, "resync": true},
#     timed from the POST until GET /job/ID says FINISHED (polled every 100 ms);
#   - every device must end not failed (failures are listed; exit status 1);
#   - the serve process's peak RSS (VmHWM; PostgreSQL not counted);
#   - reference, same run and same devices: OpenSSH's `ssh` under
#     `xargs -P <ssh.concurrency>` doing the same reads (as bench/devices does).
# Prints devices/s, wall time, peak RSS, the reference's wall time, the ratio
# and the verdicts against the targets (>= 100 devices/s, < 300 MB).
#
# Usage: bench/sync/sync_bench.sh [BUILD_DIR]
# Environment: BENCH_DEVICES (1000), BENCH_LATENCY_MS (50), BENCH_SERVE_SET
# (extra `--set k=v` for serve, space separated, printed; default none),
# BENCH_TIMEOUT_SECONDS (900: the job must end by then).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
sy="$build/bin/switchyard"
sim="$build/bin/switchyard-sim"
devices="${BENCH_DEVICES:-1000}"
latency_ms="${BENCH_LATENCY_MS:-50}"
target_rate=100
target_mb=300
for tool in curl jq ssh xargs ssh-keygen; do
    command -v $tool >/dev/null || { echo "FAIL: $tool missing: apt-get install ${tool/ssh-keygen/openssh-client}"; exit 1; }
done
for bin in "$sy" "$sim"; do [[ -x "$bin" ]] || { echo "FAIL: $bin not built (targets switchyard switchyard-sim)"; exit 1; }; done
source "$root/scripts/processes.sh"

dir="$(mktemp -d /tmp/sy-syncbench-XXXXXX)"; chmod 711 "$dir"
xargs_pid=""
cleanup() {
    # The reference's ssh clients are children of xargs.
    if [[ -n "$xargs_pid" ]]; then pkill -TERM -P "$xargs_pid" 2>/dev/null || true; proc_stop_pid "$xargs_pid"; fi
    proc_stop_all
    # A serve that had to be killed leaves its embedded PostgreSQL behind.
    local pm="$dir/data/pg/postmaster.pid"
    if [[ -s "$pm" ]]; then kill -TERM "$(head -1 "$pm")" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'echo; echo "interrupted; cleaning up ..."; exit 130' INT TERM
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# --- the devices --------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$dir/key"
base_port="$(proc_free_port_range "$devices")"
echo "starting switchyard-sim: $devices devices (frr,eos,junos), $latency_ms ms per command"
"$sim" --state-dir "$dir/sim" --devices "$devices" --base-port "$base_port" --platforms frr,eos,junos \
    --latency-ms "$latency_ms" --authorized-keys "$dir/key.pub" >"$dir/sim.log" 2>"$dir/sim.stderr" &
proc_track $!
proc_wait_for_line "$dir/sim.log" "switchyard-sim ready" "$!" 120 || { cat "$dir/sim.stderr"; exit 1; }
sim_stats() { "$sim" --state-dir "$dir/sim" --ctl '{"op":"stats"}'; }

# --- the service, on its defaults (credentials: the key the simulator accepts) --
export SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME=admin SWITCHYARD_CREDENTIALS_DEFAULT_KEY_FILE="$dir/key"
serve_set=()
for kv in ${BENCH_SERVE_SET:-}; do serve_set+=(--set "$kv"); done
proc_start_serve "$sy" "$dir/data" "$dir/serve.log" "${serve_set[@]}"
sy() { "$sy" "$@" --data-dir "$dir/data" "${serve_set[@]}"; }
# One effective setting (section.key) out of `switchyard config show`'s YAML.
setting() {
    sy config show | awk -v k="$1" '/^[^ ]/ { sec = $1; sub(/:$/, "", sec) }
        /^  [^ ]/ { key = $1; sub(/:$/, "", key); if (sec "." key == k) { print $2; exit } }'
}
concurrency="$(setting ssh.concurrency)"
[[ "$concurrency" =~ ^[0-9]+$ ]] || { echo "FAIL: cannot read ssh.concurrency from 'switchyard config show'"; exit 1; }
echo "switchyard serve: $api_url, embedded store; settings: ssh.concurrency=$concurrency" \
     "ssh.host_key_policy=$(setting ssh.host_key_policy) jobs.progress_flush_ms=$(setting jobs.progress_flush_ms)" \
     "${BENCH_SERVE_SET:+(explicit: $BENCH_SERVE_SET)}"
sy devices import "$dir/sim/inventory.json" | sed 's/^/  /'
token="$(sy token --sub bench --role operator --ttl 1h)"
api() { curl -sS --fail-with-body -H "Authorization: Bearer $token" "$@"; }
idle_kb="$(proc_vm_kb "$serve_pid" VmRSS)"

# --- Switchyard: the dry run through the API ----------------------------------
t0="$(now)"
reply="$(api -X POST -H 'Content-Type: application/json' \
    -d '{"all": true, "dry_run": true, "resync": true, "comment": "sync bench"}' "$api_url/api/v1.0/device_syncto")"
job="$(jq -r '.job_id' <<<"$reply")"
[[ "$job" =~ ^[0-9]+$ ]] || { echo "FAIL: device_syncto: $reply"; exit 1; }
# Poll without the bulky per-device configs and diffs; keep a progress timeline.
timeline=""
last=""
while :; do
    doc="$(api "$api_url/api/v1.0/job/$job?filter_jobresult=config,diff")"
    status="$(jq -r '.data.jobs[0].status' <<<"$doc")"
    seen="$status $(jq -r '.data.jobs[0].progress | if . == null then "" else "\(.done // "-")/\(.total // "-") \(.phase // "")" end' <<<"$doc")"
    if [[ "$seen" != "$last" ]]; then timeline+="  +$(elapsed "$t0" "$(now)") s  $seen"$'\n'; last="$seen"; fi
    case "$status" in FINISHED | EXCEPTION | ABORTED) break ;; esac
    if (( ${EPOCHREALTIME%.*} - ${t0%.*} > ${BENCH_TIMEOUT_SECONDS:-900} )); then
        printf '%s' "$timeline"; echo "FAIL: job $job still $status after ${BENCH_TIMEOUT_SECONDS:-900} s"; exit 1
    fi
    sleep 0.1
done
t1="$(now)"
sy_s="$(elapsed "$t0" "$t1")"
peak_kb="$(proc_vm_kb "$serve_pid" VmHWM)"
stats="$(sim_stats)"
sim_peak="$(jq -r '.peak_sessions // "?"' <<<"$stats")"
# SSH sessions the finished job left open (should be 0 once every device is read).
sim_open="$(jq -r '.active_sessions // "?"' <<<"$stats")"
serve_sockets="$(find "/proc/$serve_pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)"
# The job's own start -> finish (both times in one offset: the offset is dropped).
job_s="$(jq -r 'def t: capture("^(?<s>[^.+Z]+)(?<f>\\.[0-9]+)?") | (.s + "Z" | fromdate) + ((.f // "0") | tonumber);
    .data.jobs[0] | if .start_time and .finish_time then (.finish_time | t) - (.start_time | t) | . * 100 | round / 100
    else "?" end' <<<"$doc")"
results="$(jq -c '.data.jobs[0].result.devices // {}' <<<"$doc")"
in_result="$(jq 'length' <<<"$results")"
failed="$(jq -r 'to_entries[] | select(.value.failed) | "\(.key): \(.value.job_tasks[0].result // "failed")"' <<<"$results")"
failed_n=0; [[ -n "$failed" ]] && failed_n="$(wc -l <<<"$failed")"
changed_n="$(jq '[.[] | select(.change_score > 0)] | length' <<<"$results")"

# --- reference: OpenSSH's client, the same reads, as many in flight ----------
# As bench/devices/bench_fetch.cpp: one `ssh` per device, strict host keys
# against the simulator's known_hosts, key auth, output kept per device.
mkdir -p "$dir/openssh-out"
jq -r '.[] | "\(.port) \(if .platform == "junos" then "show configuration" else "show running-config" end)"' \
    "$dir/sim/inventory.json" >"$dir/targets.txt"
script="exec ssh -q -p \"\$0\" -i $dir/key -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
script+=" -o UserKnownHostsFile=$dir/sim/known_hosts -o ConnectTimeout=10 -l admin 127.0.0.1 \"\$1 \$2\""
script+=" > $dir/openssh-out/\$0"
r0="$(now)"
xargs -P "$concurrency" -L 1 -a "$dir/targets.txt" sh -c "$script" >"$dir/xargs.log" 2>&1 &
xargs_pid=$!
xargs_rc=0; wait "$xargs_pid" || xargs_rc=$?
xargs_pid=""
ref_s="$(elapsed "$r0" "$(now)")"
ref_ok="$(find "$dir/openssh-out" -type f -size +0 | wc -l)"

# --- report ---------------------------------------------------------------------
echo
echo "dry-run sync of $devices devices through the API, $latency_ms ms per command, ssh.concurrency=$concurrency"
echo "job $job progress (status done/total phase; flushed every jobs.progress_flush_ms):"
printf '%s' "$timeline"
rate="$(awk -v n="$devices" -v s="$sy_s" 'BEGIN { printf "%.1f", n / s }')"
echo "  switchyard: $sy_s s from the POST to FINISHED (job start->finish $job_s s), $rate devices/s;" \
     "status $status; $in_result devices in the result, $failed_n failed, $changed_n with a diff;" \
     "simulator peak sessions $sim_peak"
echo "  after FINISHED: $sim_open SSH sessions still open on the simulator, $serve_sockets sockets open in switchyard serve" \
     "$([[ "$sim_open" == 0 ]] || echo "(WARNING: expected 0; the reference below runs beside them)")"
echo "  switchyard serve memory: peak RSS (VmHWM) $((peak_kb / 1024)) MB, idle before the run $((idle_kb / 1024)) MB (PostgreSQL not counted)"
echo "  openssh ssh | xargs -P $concurrency, the same reads: $ref_s s, $ref_ok/$devices devices answered (xargs exit $xargs_rc)"
awk -v a="$sy_s" -v b="$ref_s" 'BEGIN { printf "  ratio switchyard / openssh wall time: %.2f (1.00 = as fast as the reference)\n", a / b }'
ok=1
verdict() { if [[ "$1" == 1 ]]; then echo "  target $2: met"; else echo "  target $2: MISSED"; ok=0; fi; }
verdict "$(awk -v r="$rate" -v t="$target_rate" 'BEGIN { print (r >= t) }')" ">= $target_rate devices/s ($rate)"
verdict "$(( peak_kb / 1024 < target_mb ))" "< $target_mb MB peak RSS ($((peak_kb / 1024)) MB)"
if [[ "$status" != FINISHED || "$in_result" != "$devices" || "$failed_n" != 0 ]]; then
    echo "FAIL: the job ended $status with $in_result/$devices devices in its result and $failed_n failed"
    jq -r '.data.jobs[0].exception // empty' <<<"$doc" | sed 's/^/  exception: /'
    [[ -n "$failed" ]] && head -20 <<<"$failed" | sed 's/^/  failed: /'
    ((failed_n > 20)) && echo "  ... and $((failed_n - 20)) more"
    exit 1
fi
if [[ "$ref_ok" != "$devices" ]]; then
    echo "FAIL: the reference read only $ref_ok of $devices devices; its figure is not comparable"
    head -5 "$dir/xargs.log" | sed 's/^/  /'
    exit 1
fi
((ok)) || { echo "FAIL: a target was missed"; exit 1; }
