#!/usr/bin/env bash
# Sync benchmark: dry-run syncs of 1,000, 4,000 and 10,000 simulated devices
# (frr, eos, junos; 50 ms per command) whose configs have about
# BENCH_CONFIG_LINES lines each, through the API, on Switchyard's default
# settings (issue 16).
#   - one switchyard-sim serves the largest count (realistic configs from
#     --config-lines, the same bytes every run); each count gets a fresh
#     `switchyard serve` on an embedded store, with the first N devices imported;
#   - POST /api/v1.0/device_syncto {"all": true, "dry_run": true, "resync": true},
#     timed from the POST until GET /job/ID says the job ended (polled every 100 ms);
#   - the CPU the serve and its PostgreSQL used (user + system, backends
#     included) from the POST to the end: steadier than wall time on a
#     shared machine, so the figure to compare two builds by;
#   - the serve process's peak RSS (VmHWM; PostgreSQL not counted); a serve
#     above BENCH_SERVE_LIMIT_MB is stopped and the count reported as over it
#     (the machine is shared);
#   - the largest row Switchyard wrote: every table's largest row as stored
#     (pg_column_size of the whole row, TOAST included), and the job's result
#     (stored and as text);
#   - the API meanwhile: GET /jobs?per_page=50 on a new connection every
#     200 ms while the job runs (p50, p99, max);
#   - reference, same run and same devices: OpenSSH's `ssh` under
#     `xargs -P <ssh.concurrency>` doing the same reads (as bench/devices does);
#   - then a live sync of the first BENCH_LIVE_DEVICES devices, each given its
#     running config without one prefix-list entry (templates and settings
#     written by bench_templates_from_settings), on the server's default
#     confirm mode: wall time, and the ratio to OpenSSH reading those devices.
# Prints per count: wall time, devices/s, peak RSS, largest row, the
# reference's wall time and the ratio; then a summary table and the verdicts
# against issue 16's targets (10,000 devices under 60 s, peak RSS under 400 MB
# and within 25 % of the 1,000-device run's, no row over 16 MB, GET /jobs p99
# under 100 ms during each run, the live sync of 1,000 under 30 s): a missed target
# prints MISSED and exits 0; a wrong result (a job that did not finish every
# device, a reference that failed) exits 1.
#
# Usage: bench/sync/sync_bench.sh [BUILD_DIR]
# Environment: BENCH_DEVICES ("1000 4000 10000": the counts, space or comma
# separated; e.g. 1000 for a quick run), BENCH_CONFIG_LINES (2000; 0: the
# simulator's small default configs), BENCH_LATENCY_MS (50), BENCH_SERVE_SET
# (extra `--set k=v` for serve, space separated, printed; default none),
# BENCH_TIMEOUT_SECONDS (900: each job must end by then), BENCH_SERVE_LIMIT_MB (6000),
# BENCH_LIVE_DEVICES (1000; 0: no live run).
set -Eeuo pipefail
# A command that stops the bench says where (a live run once ended with
# exit 1 and no summary, and nothing said which command failed).
trap 'echo "sync_bench.sh: stopped by a failed command at line $LINENO (exit $?): $BASH_COMMAND" >&2' ERR
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
sy="$build/bin/switchyard"
sim="$build/bin/switchyard-sim"
read -r -a counts <<<"$(tr ',' ' ' <<<"${BENCH_DEVICES:-1000 4000 10000}")"
config_lines="${BENCH_CONFIG_LINES:-2000}"
live_n="${BENCH_LIVE_DEVICES:-1000}"
latency_ms="${BENCH_LATENCY_MS:-50}"
timeout_s="${BENCH_TIMEOUT_SECONDS:-900}"
limit_mb="${BENCH_SERVE_LIMIT_MB:-6000}"
# Issue 16's targets.
target_seconds_10k=60
target_mb=400
target_mb_growth_pct=25
target_row_mb=16
target_probe_ms=100
target_live_seconds=30
for n in "${counts[@]}"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "FAIL: BENCH_DEVICES: '$n' is not a count"; exit 1; }; done
((${#counts[@]})) || { echo "FAIL: BENCH_DEVICES is empty"; exit 1; }
[[ "$live_n" =~ ^[0-9]+$ ]] || { echo "FAIL: BENCH_LIVE_DEVICES: '$live_n' is not a count"; exit 1; }
[[ "$config_lines" =~ ^[0-9]+$ ]] || { echo "FAIL: BENCH_CONFIG_LINES: '$config_lines' is not a number"; exit 1; }
for bin in "$sy" "$sim"; do [[ -x "$bin" ]] || { echo "FAIL: $bin not built (targets switchyard switchyard-sim)"; exit 1; }; done
source "$root/scripts/processes.sh"
source "$root/bench/bench_helpers.sh"
bench_require_tools curl jq ssh xargs ssh-keygen psql ss timeout

bench_workdir syncbench

# --- the devices: one simulator for the largest count ---------------------------
max=0
for n in "${counts[@]}"; do ((n > max)) && max=$n; done
((live_n <= max)) || max=$live_n
if ((live_n && config_lines < 150)); then echo "FAIL: the live run needs configs with prefix lists: BENCH_CONFIG_LINES of at least 150, or BENCH_LIVE_DEVICES=0"; exit 1; fi
ssh-keygen -q -t ed25519 -N '' -f "$dir/key"
echo "starting switchyard-sim: $max devices (frr,eos,junos), $latency_ms ms per command," \
     "configs of ${config_lines/#0/default} lines"
bench_start_sim "$sim" "$dir/sim" "$max" "$latency_ms" "$config_lines" "$dir/key.pub"
sim_stats() { "$sim" --state-dir "$dir/sim" --ctl '{"op":"stats"}'; }
echo "  ready in $sim_ready_s s; simulator RSS $(( $(jq '.rss_kb' <<<"$(sim_stats)") / 1024 )) MB;" \
     "configs: $(jq -r '.[0].hostname' "$dir/sim/inventory.json") shows" \
     "$("$sim" --state-dir "$dir/sim" --ctl "{\"op\":\"get\",\"host\":\"$(jq -r '.[0].hostname' "$dir/sim/inventory.json")\"}" |
        jq -r '.config' | wc -lc | awk '{ printf "%d lines, %.0f KB", $1, $2 / 1024 }')"

export SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME=admin SWITCHYARD_CREDENTIALS_DEFAULT_KEY_FILE="$dir/key"
serve_set=()
for kv in ${BENCH_SERVE_SET:-}; do serve_set+=(--set "$kv"); done
failures=()
missed=()
summary=()
declare -A peak_mb_of seconds_of row_bytes_of probe_p99_of probe_bad_of

# The largest stored row of every public table (the whole row as stored,
# TOASTed values included), then the job's result, stored and as text.
largest_rows() {  # job id
    local conn="host=$data/pg user=switchyard dbname=switchyard" t size best=0 best_table=""
    for t in $(psql "$conn" -Atc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
        size="$(psql "$conn" -Atc "SELECT coalesce(max(pg_column_size(t.*)), 0) FROM public.\"$t\" t")"
        if ((size > best)); then best=$size; best_table=$t; fi
    done
    row_bytes="$best"; row_table="$best_table"
    read -r result_stored result_text < <(psql "$conn" -AtF ' ' -c \
        "SELECT coalesce(pg_column_size(result), 0), coalesce(octet_length(result::text), 0) FROM jobs WHERE id = $1")
}

# Polls GET /job/JOB (without the bulky per-device configs and diffs) every
# 100 ms until it ends, the serve dies or passes BENCH_SERVE_LIMIT_MB, or
# BENCH_TIMEOUT_SECONDS pass; keeps a progress timeline with the serve's RSS.
# Sets status, doc, timeline, over_limit, rss_top_kb and rss_top_at (the
# highest RSS seen while polling, and when). Needs api() and serve_pid.
# No program but curl runs per poll (the rest is the shell's own): two jq and
# three awk per poll took about a tenth of the two cores the run is measured
# on (perf over a 10,000-device run).
poll_job() {  # job id, start time
    local job="$1" t0="$2" seen last="" rss_kb
    timeline="" over_limit=0 rss_top_kb=0 rss_top_at=
    while :; do
        rss_kb="$(proc_vm_kb "$serve_pid" VmRSS)"
        if (( rss_kb / 1024 > limit_mb )); then over_limit=1; status="OVER_LIMIT"; break; fi
        doc="$(api "$api_url/api/v1.0/job/$job?filter_jobresult=config,diff" || true)"
        bench_job_line "$doc"
        status="$job_status" seen="$job_line"
        # The serve's resident memory on each line, and where it was highest
        # (issue 16: what the run grows with, against what its end adds).
        if (( rss_kb > rss_top_kb )); then rss_top_kb=$rss_kb; rss_top_at="+$(bench_since "$t0") s, $seen"; fi
        if [[ "$seen" != "$last" ]]; then timeline+="  +$(bench_since "$t0") s  $seen  (RSS $(( rss_kb / 1024 )) MB)"$'\n'; last="$seen"; fi
        case "$status" in FINISHED | EXCEPTION | ABORTED) break ;; esac
        [[ -d /proc/$serve_pid ]] && bench_proc_running "$serve_pid" || { status="SERVE_DIED"; break; }
        if (( ${EPOCHREALTIME%.*} - ${t0%.*} > timeout_s )); then status="TIMEOUT"; break; fi
        sleep 0.1
    done
}

# POST /device_syncto with BODY; sets job (its id). Needs api().
start_sync() {  # body
    local reply
    reply="$(api -X POST -H 'Content-Type: application/json' -d "$1" "$api_url/api/v1.0/device_syncto")"
    job="$(jq -r '.job_id' <<<"$reply")"
    [[ "$job" =~ ^[0-9]+$ ]] || { echo "FAIL: device_syncto: $reply"; exit 1; }
}

# The API while a job runs: a client asking GET /jobs?per_page=50 (a new
# connection each time, as a status poll or a dashboard's refresh) every
# 200 ms for as long as the job runs. jobs_probe_stop prints the latencies
# and sets probe_p99_ms (and probe_bad: answers other than 200).
jobs_probe_pid=""
jobs_probe_start() {  # work dir, token
    rm -f "$1/probe.stop" "$1/probe.txt"
    (
        while [[ ! -e "$1/probe.stop" ]] && kill -0 $$ 2>/dev/null; do
            curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $2" \
                "$api_url/api/v1.0/jobs?per_page=50" >>"$1/probe.txt" || true
            sleep 0.2
        done
    ) &
    jobs_probe_pid=$!
}
jobs_probe_stop() {  # work dir
    touch "$1/probe.stop"
    wait "$jobs_probe_pid" 2>/dev/null || true
    jobs_probe_pid=""
    # Sorted by time first (mawk has no asort); an answer that never came
    # counts as its --max-time.
    read -r probe_n probe_bad probe_p50_ms probe_p99_ms probe_max_ms < <(sort -k2,2g "$1/probe.txt" 2>/dev/null | awk '
        { n++; if ($1 != 200) bad++; t[n] = $2 * 1000 }
        END {
            if (!n) { print "0 0 - - -"; exit }
            printf "%d %d %.1f %.1f %.1f\n", n, bad + 0, t[int((n - 1) * 0.50) + 1], t[int((n - 1) * 0.99) + 1], t[n]
        }')
    echo "  GET /jobs?per_page=50 meanwhile (a new connection every 200 ms): $probe_n requests, $probe_bad not 200," \
         "p50 $probe_p50_ms ms, p99 $probe_p99_ms ms, max $probe_max_ms ms"
}

# --- one count: a fresh serve, the dry run, the row sizes, the reference --------
run_count() {  # devices
    local n="$1" run="$dir/run-$n"
    mkdir -p "$run"
    data="$run/data"
    jq ".[:$n]" "$dir/sim/inventory.json" >"$run/inventory.json"
    proc_start_serve "$sy" "$data" "$run/serve.log" "${serve_set[@]}"
    sy() { "$sy" "$@" --data-dir "$data" "${serve_set[@]}"; }
    setting() { bench_setting "$sy" "$1" --data-dir "$data" "${serve_set[@]}"; }
    concurrency="$(setting ssh.concurrency)"
    [[ "$concurrency" =~ ^[0-9]+$ ]] || { echo "FAIL: cannot read ssh.concurrency from 'switchyard config show'"; exit 1; }
    echo
    echo "== $n devices =="
    echo "switchyard serve: $api_url, embedded store; settings: ssh.concurrency=$concurrency" \
         "ssh.host_key_policy=$(setting ssh.host_key_policy) jobs.progress_flush_ms=$(setting jobs.progress_flush_ms)" \
         "${BENCH_SERVE_SET:+(explicit: $BENCH_SERVE_SET)}"
    sy devices import "$run/inventory.json" | sed 's/^/  /'
    local token idle_kb
    token="$(sy token --sub bench --role operator --ttl 1h)"
    # Bounded: a serve that stops answering ends the poll (TIMEOUT), not the bench.
    api() { curl -sS --max-time 120 --fail-with-body -H "Authorization: Bearer $token" "$@"; }
    idle_kb="$(proc_vm_kb "$serve_pid" VmRSS)"

    # Switchyard: the dry run through the API.
    local t0 job pg_pid serve_cpu0 pg_cpu0
    pg_pid="$(head -1 "$data/pg/postmaster.pid")"
    serve_cpu0="$(bench_cpu_ticks "$serve_pid")"; pg_cpu0="$(bench_cpu_ticks "$pg_pid" tree)"
    t0="$(bench_now)"
    start_sync '{"all": true, "dry_run": true, "resync": true, "comment": "sync bench"}'
    jobs_probe_start "$run" "$token"
    poll_job "$job" "$t0"
    jobs_probe_stop "$run"
    local t1 sy_s peak_kb stats sim_peak sim_open serve_sockets job_s results in_result failed failed_n=0 changed_n
    t1="$(bench_now)"
    sy_s="$(bench_elapsed "$t0" "$t1")"
    local hz serve_cpu_s pg_cpu_s
    hz="$(getconf CLK_TCK)"
    serve_cpu_s="$(awk -v a="$serve_cpu0" -v b="$(bench_cpu_ticks "$serve_pid")" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')"
    pg_cpu_s="$(awk -v a="$pg_cpu0" -v b="$(bench_cpu_ticks "$pg_pid" tree)" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')"
    peak_kb="$(proc_vm_kb "$serve_pid" VmHWM)"
    echo "job $job progress (status done/total phase; flushed every jobs.progress_flush_ms):"
    printf '%s' "$timeline"
    if ((over_limit)); then
        echo "  STOPPED: switchyard serve's RSS passed BENCH_SERVE_LIMIT_MB=$limit_mb MB after $sy_s s"
        proc_stop_pid "$serve_pid"; bench_stop_orphan_postgres "$data"
        missed+=("$n devices: serve passed $limit_mb MB RSS (stopped, not measured)")
        summary+=("$(printf '%6d  %-10s %8s %9s %9s  %-28s %9s %7s' "$n" OVER_LIMIT ">$sy_s" - ">$limit_mb" - - -)")
        peak_mb_of[$n]=$limit_mb
        rm -rf "$run"; data=""
        return
    fi
    stats="$(sim_stats)"
    sim_peak="$(jq -r '.peak_sessions // "?"' <<<"$stats")"
    sim_open="$(jq -r '.active_sessions // "?"' <<<"$stats")"
    serve_sockets="$(find "/proc/$serve_pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)"
    # The job's own start -> finish (both times in one offset: the offset is dropped).
    job_s="$(jq -r 'def t: capture("^(?<s>[^.+Z]+)(?<f>\\.[0-9]+)?") | (.s + "Z" | fromdate) + ((.f // "0") | tonumber);
        .data.jobs[0] | if .start_time and .finish_time then (.finish_time | t) - (.start_time | t) | . * 100 | round / 100
        else "?" end' <<<"$doc" 2>/dev/null || echo "?")"
    results="$(jq -c '.data.jobs[0].result.devices // {}' <<<"$doc" 2>/dev/null || echo '{}')"
    in_result="$(jq 'length' <<<"$results")"
    failed="$(jq -r 'to_entries[] | select(.value.failed) | "\(.key): \(.value.job_tasks[0].result // "failed")"' <<<"$results")"
    [[ -n "$failed" ]] && failed_n="$(wc -l <<<"$failed")"
    changed_n="$(jq '[.[] | select(.change_score > 0)] | length' <<<"$results")"
    largest_rows "$job"

    # Reference: OpenSSH's client, the same reads of the same devices, as many in flight.
    # As bench/devices/bench_fetch.cpp: one `ssh` per device, strict host keys
    # against the simulator's known_hosts, key auth, output kept per device
    # (a read that has not ended after 120 s is stopped; xargs then exits non-zero).
    local ref_s ref_ok ref_bytes ref_rc rate
    bench_openssh_reads "$run/inventory.json" "$dir/key" "$dir/sim/known_hosts" "$concurrency" "$run"
    rate="$(awk -v n="$n" -v s="$sy_s" 'BEGIN { printf "%.1f", n / s }')"
    echo "  switchyard: $sy_s s from the POST to $status (job start->finish $job_s s), $rate devices/s;" \
         "$in_result devices in the result, $failed_n failed, $changed_n with a diff; simulator peak sessions $sim_peak"
    echo "  after the job: $sim_open SSH sessions still open on the simulator, $serve_sockets sockets open in switchyard serve" \
         "$([[ "$sim_open" == 0 ]] || echo "(WARNING: expected 0; the reference below runs beside them)")"
    echo "  CPU from the POST to the end: switchyard serve $serve_cpu_s s, its PostgreSQL $pg_cpu_s s" \
         "($(awk -v a="$serve_cpu_s" -v b="$pg_cpu_s" -v n="$n" 'BEGIN { printf "%.1f + %.1f", a * 1000 / n, b * 1000 / n }') ms per device)"
    echo "  switchyard serve memory: peak RSS (VmHWM) $((peak_kb / 1024)) MB, idle before the run $((idle_kb / 1024)) MB (PostgreSQL not counted); highest RSS polled $((rss_top_kb / 1024)) MB at $rss_top_at"
    echo "  largest row written: $(bench_mb "$row_bytes") MB in $row_table; the job's result $(bench_mb "$result_stored") MB stored," \
         "$(bench_mb "$result_text") MB as text"
    echo "  openssh ssh | xargs -P $concurrency, the same reads: $ref_s s, $ref_ok/$n devices answered," \
         "$(bench_mb "$ref_bytes") MB read (xargs exit $ref_rc)"
    awk -v a="$sy_s" -v b="$ref_s" 'BEGIN { printf "  ratio switchyard / openssh wall time: %.2f (1.00 = as fast as the reference)\n", a / b }'
    if [[ "$status" != FINISHED || "$in_result" != "$n" || "$failed_n" != 0 ]]; then
        echo "  FAIL: the job ended $status with $in_result/$n devices in its result and $failed_n failed"
        jq -c '.data.jobs[0].exception // empty | if type == "object" then {type, message} else . end' <<<"$doc" 2>/dev/null |
            head -c 2000 | sed 's/^/  exception: /'
        [[ -n "$failed" ]] && head -10 <<<"$failed" | sed 's/^/  failed: /'
        ((failed_n > 10)) && echo "  ... and $((failed_n - 10)) more"
        failures+=("$n devices: job $status, $in_result in the result, $failed_n failed")
    fi
    if [[ "$ref_ok" != "$n" || "$ref_rc" != 0 ]]; then
        echo "  FAIL: the reference read $ref_ok of $n devices, xargs exit $ref_rc (a read failed or timed out); its figure is not comparable"
        head -5 "$run/xargs.log" | sed 's/^/  /'
        failures+=("$n devices: the reference read $ref_ok")
    fi
    summary+=("$(printf '%6d  %-10s %8s %9s %9s  %-28s %9s %7s' "$n" "$status" "$sy_s" "$rate" "$((peak_kb / 1024))" \
        "$(bench_mb "$row_bytes") ($row_table)" "$ref_s" "$(awk -v a="$sy_s" -v b="$ref_s" 'BEGIN { printf "%.2f", a / b }')")")
    peak_mb_of[$n]=$((peak_kb / 1024)); seconds_of[$n]=$sy_s; probe_p99_of[$n]=$probe_p99_ms; probe_bad_of[$n]=$probe_bad
    # A job whose outcome could not be stored wrote no result row to measure.
    [[ "$status" == FINISHED ]] && row_bytes_of[$n]=$row_bytes
    proc_stop_pid "$serve_pid"; bench_stop_orphan_postgres "$data"
    rm -rf "$run"; data=""
}

for n in "${counts[@]}"; do run_count "$n"; done

# --- the live sync: LIVE devices changing one line each -----------------------------
# The first BENCH_LIVE_DEVICES devices, each given (through a template per
# platform and a settings file per device, bench_templates_from_settings) its
# running config without one prefix-list entry: a live sync on the server's
# default confirm mode removes that line from each, verified. Reference, same
# run: OpenSSH reading the same devices (before the sync, its reads are also
# what the intended configs are made from).
live_seconds="" live_status=""
run_live() {  # devices
    local n="$1" run="$dir/live"
    mkdir -p "$run"
    data="$run/data"
    jq ".[:$n]" "$dir/sim/inventory.json" >"$run/inventory.json"
    local set=(--set "sync.templates_dir=$run/templates" --set "sync.settings_dir=$run/settings" "${serve_set[@]}")
    concurrency="$(bench_setting "$sy" ssh.concurrency --data-dir "$data" "${set[@]}")"
    [[ "$concurrency" =~ ^[0-9]+$ ]] || { echo "FAIL: cannot read ssh.concurrency from 'switchyard config show'"; exit 1; }
    echo
    echo "== live sync: $n devices, one line each =="
    local ref_s ref_ok ref_bytes ref_rc
    bench_openssh_reads "$run/inventory.json" "$dir/key" "$dir/sim/known_hosts" "$concurrency" "$run"
    if [[ "$ref_ok" != "$n" || "$ref_rc" != 0 ]]; then
        head -5 "$run/xargs.log"; echo "FAIL: the reference read $ref_ok of $n devices (xargs exit $ref_rc)"; exit 1
    fi
    bench_templates_from_settings "$run/templates" "$run/settings" "the sync bench's live run"
    while read -r host platform port; do
        bench_without_entries "$platform" 1 "$run/openssh-out/$port" | bench_as_settings >"$run/settings/devices/$host.yml"
    done < <(jq -r '.[] | "\(.hostname) \(.platform) \(.port)"' "$run/inventory.json")
    proc_start_serve "$sy" "$data" "$run/serve.log" "${set[@]}"
    sy() { "$sy" "$@" --data-dir "$data" "${set[@]}"; }
    echo "switchyard serve: $api_url, embedded store; settings: ssh.concurrency=$concurrency" \
         "sync.default_confirm_mode=$(bench_setting "$sy" sync.default_confirm_mode --data-dir "$data" "${set[@]}")" \
         "${BENCH_SERVE_SET:+(explicit: $BENCH_SERVE_SET)}"
    sy devices import "$run/inventory.json" | sed 's/^/  /'
    local token t0 job results in_result failed failed_n=0 changed_n peak_kb traffic_before
    token="$(sy token --sub bench --role operator --ttl 1h)"
    api() { curl -sS --max-time 120 --fail-with-body -H "Authorization: Bearer $token" "$@"; }
    traffic_before="$(sim_stats)"
    t0="$(bench_now)"
    start_sync '{"all": true, "dry_run": false, "comment": "sync bench: live, one line each"}'
    poll_job "$job" "$t0"
    live_seconds="$(bench_elapsed "$t0" "$(bench_now)")"; live_status="$status"
    peak_kb="$(proc_vm_kb "$serve_pid" VmHWM)"
    echo "job $job progress (status done/total phase):"
    printf '%s' "$timeline"
    results="$(jq -c '.data.jobs[0].result.devices // {}' <<<"$doc" 2>/dev/null || echo '{}')"
    in_result="$(jq 'length' <<<"$results")"
    failed="$(jq -r 'to_entries[] | select(.value.failed) | "\(.key): \(.value.job_tasks[-1].result // "failed")"' <<<"$results")"
    [[ -n "$failed" ]] && failed_n="$(wc -l <<<"$failed")"
    changed_n="$(jq '[.[] | select(.change_score > 0)] | length' <<<"$results")"
    echo "  switchyard: $live_seconds s from the POST to $status, $(awk -v n="$n" -v s="$live_seconds" 'BEGIN { printf "%.1f", n / s }') devices/s;" \
         "$in_result devices in the result, $failed_n failed, $changed_n changed; serve peak RSS $((peak_kb / 1024)) MB"
    echo "  what the devices were asked during the live sync (simulator counters):"
    bench_traffic_per_device "$traffic_before" "$(sim_stats)" "$n"
    echo "  openssh ssh | xargs -P $concurrency reading the same devices: $ref_s s"
    awk -v a="$live_seconds" -v b="$ref_s" 'BEGIN { printf "  ratio switchyard live sync / openssh reads: %.2f\n", a / b }'
    if [[ "$status" != FINISHED || "$in_result" != "$n" || "$failed_n" != 0 || "$changed_n" != "$n" ]]; then
        echo "  FAIL: the live sync ended $status with $in_result/$n devices in its result, $failed_n failed, $changed_n changed"
        [[ -n "$failed" ]] && head -10 <<<"$failed" | sed 's/^/  failed: /'
        failures+=("live sync of $n devices: job $status, $in_result in the result, $failed_n failed, $changed_n changed")
    fi
    proc_stop_pid "$serve_pid"; bench_stop_orphan_postgres "$data"
    rm -rf "$run"; data=""
}
((live_n)) && run_live "$live_n"

# --- summary and verdicts ----------------------------------------------------------
echo
echo "dry-run syncs through the API, $latency_ms ms per command, configs of ${config_lines/#0/default} lines" \
     "(simulator: $max devices)"
printf '%6s  %-10s %8s %9s %9s  %-28s %9s %7s\n' devices status "wall s" devices/s "peak MB" "largest row MB (table)" \
    "openssh s" ratio
printf '%s\n' "${summary[@]}"
ok=1
verdict() { if [[ "$1" == 1 ]]; then echo "  target $2: met"; else echo "  target $2: MISSED"; ok=0; fi; }
for n in "${counts[@]}"; do
    if [[ -n "${row_bytes_of[$n]:-}" ]]; then
        verdict "$(( row_bytes_of[$n] <= target_row_mb * 1048576 ))" "$n devices: no row over $target_row_mb MB ($(bench_mb "${row_bytes_of[$n]}") MB)"
    else
        verdict 0 "$n devices: no row over $target_row_mb MB (not measured: the job did not finish)"
    fi
    verdict "$(( peak_mb_of[$n] < target_mb ))" "$n devices: peak RSS under $target_mb MB (${peak_mb_of[$n]} MB)"
    if [[ -n "${peak_mb_of[1000]:-}" && "$n" != 1000 ]]; then
        verdict "$(( peak_mb_of[$n] * 100 <= peak_mb_of[1000] * (100 + target_mb_growth_pct) ))" \
            "$n devices: peak RSS within $target_mb_growth_pct % of the 1,000-device run's (${peak_mb_of[$n]} vs ${peak_mb_of[1000]} MB)"
    fi
    verdict "$(awk -v p="${probe_p99_of[$n]:--}" -v bad="${probe_bad_of[$n]:-1}" -v t="$target_probe_ms" \
        'BEGIN { print (p != "-" && p + 0 < t && bad == 0) }')" \
        "$n devices: GET /jobs p99 under $target_probe_ms ms while the job runs, every answer a 200 (p99 ${probe_p99_of[$n]:-not measured} ms, ${probe_bad_of[$n]:-?} not 200)"
    if [[ "$n" == 10000 ]]; then
        verdict "$(awk -v s="${seconds_of[$n]:-999999}" -v t="$target_seconds_10k" 'BEGIN { print (s < t) }')" \
            "10,000 devices under $target_seconds_10k s (${seconds_of[$n]:-not measured} s)"
    fi
done
if ((live_n)); then
    echo "live sync of $live_n devices changing one line each: ${live_seconds:-not measured} s ($live_status)"
    verdict "$(awk -v s="${live_seconds:-999999}" -v t="$target_live_seconds" -v st="$live_status" 'BEGIN { print (st == "FINISHED" && s < t) }')" \
        "live sync of $live_n devices, one line each, under $target_live_seconds s"
fi
if ((${#failures[@]})); then
    printf 'FAIL: %s\n' "${failures[@]}"
    exit 1
fi
# A missed target is a measurement, not a failure: exit 0 (make bench runs the
# other benchmarks); only a wrong result (above) exits non-zero.
if ((${#missed[@]})); then printf 'MISSED: %s\n' "${missed[@]}"; ok=0; fi
((ok)) || echo "MISSED: a target was missed (see above)"
