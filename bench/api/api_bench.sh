#!/usr/bin/env bash
# API benchmark (release build: make build, then bench/api/api_bench.sh build).
# 1,000,000 jobs in the table; each figure beside a reference measured in the
# same run on the same database:
#
#   1. one keep-alive client on GET /health (wrk -c1): p99 under 5 ms;
#      reference: pgbench running /health's SQL (SELECT 1) on one client.
#   2. GET /jobs?per_page=50&sort=-id at 8 connections: at least 0.8 x
#      pgbench's tps reading the same page (its documents and the
#      X-Total-Count count in one transaction) at 8 clients, p99 under 20 ms.
#   3. the same at 64 connections: p99 at most 1.3 x pgbench's at 64 clients
#      (and a filtered query beside it).
#   4. /health and a new client's GET /jobs (a new connection each, 20
#      probes) while 256 clients trickle their headers, and while 200
#      keep-alive clients keep GET /jobs busy (wrk -c200): slowest under 1 s;
#      reference: the same probes on the idle server.
#   5. the server's idle memory (PostgreSQL not counted).
#
# The serve and its embedded PostgreSQL (where pgbench's backends run too) are
# in a CPU cgroup of their own, as packaging/switchyard.service runs them
# (scripts/processes.sh, proc_use_cpu_cgroup, says why; BENCH_CPU_CGROUP=0
# leaves them to the kernel's autogroups). Cases 2 and 3 each follow 2 s of
# the same load, printed and not judged (warm_up).
#
# Prints each figure, its reference and the ratio; a missed target is marked
# MISSED and makes the script exit 1. Usage: bench/api/api_bench.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
sy="$build/bin/switchyard"
probe="$build/bin/api_probe"
jobs="${BENCH_JOBS:-1000000}"
seconds="${BENCH_SECONDS:-10}"
for tool in wrk; do command -v $tool >/dev/null || { echo "FAIL: $tool missing: apt-get install $tool (make deps does)"; exit 1; }; done
[[ -x "$probe" ]] || { echo "FAIL: $probe missing (make build builds it)"; exit 1; }
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

source "$root/scripts/processes.sh"

dir="$(mktemp -d /tmp/sy-apibench-XXXXXX)"; chmod 711 "$dir"
cleanup() { proc_stop_all; proc_remove_cpu_cgroup; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

proc_use_cpu_cgroup sy-apibench
# As many handler threads and database connections as the busiest case has
# connections (64), so that pgbench and the API get the same parallelism.
proc_start_serve "$sy" "$dir/data" "$dir/serve.log" --set api.threads=64 --set api.max_event_streams=4 \
    --set database.pool_size=64 --log-level warn
pid=$serve_pid
url="$api_url"
port="${url##*:}"
sock="$dir/data/pg"
psql() { "$pgbin/psql" -X -q -h "$sock" -U switchyard -d switchyard "$@"; }

echo "loading $jobs jobs ..."
psql -c "ALTER TABLE jobs DISABLE TRIGGER jobs_inserted" -c "
INSERT INTO jobs (status, function_name, scheduled_by, comment, start_arguments, timeout_seconds, start_time, finish_time, result, finished_devices, change_score)
SELECT CASE WHEN g % 50 = 0 THEN 'EXCEPTION' WHEN g % 97 = 0 THEN 'ABORTED' ELSE 'FINISHED' END,
       CASE WHEN g % 3 = 0 THEN 'sync_devices' WHEN g % 3 = 1 THEN 'noop' ELSE 'sleep' END,
       'user' || (g % 20), 'bench job ' || g, '{}'::jsonb, 3600,
       -- Every job ended within the cleaner's retention (7 days for FINISHED):
       -- otherwise the cleaner deletes 1,000 of them at a time while wrk runs.
       now() - make_interval(secs => (1000000 - g) * 0.5), now() - make_interval(secs => (1000000 - g) * 0.5 - 0.25),
       jsonb_build_object('devices', jsonb_build_object('sw' || (g % 10), jsonb_build_object('failed', false,
           'job_tasks', jsonb_build_array(jsonb_build_object('task_name', 'Sync device config', 'diff', '', 'failed', false))))),
       '[\"sw1\"]'::jsonb, g % 100
FROM generate_series(1, $jobs) g" -c "ALTER TABLE jobs ENABLE TRIGGER jobs_inserted" \
    -f "$root/service/sql/maintenance/recount_jobs.sql" -c "VACUUM ANALYZE jobs"

# The server's idle memory, not counting PostgreSQL.
rss_kb=$(proc_vm_kb "$pid" VmRSS)
token="$("$sy" token --sub bench --role read --data-dir "$dir/data")"
missed=0

# wrk's figures in milliseconds: "Requests/sec" and the 99% latency.
wrk_run() {  # connections, path
    local threads=$(( $1 < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$1" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url$2"
}
wrk_rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
wrk_p99_ms() {
    awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                       printf "%.2f", u == "us" ? v / 1000 : u == "s" ? v * 1000 : v }' <<<"$1"
}
wrk_errors() { grep -E "Non-2xx|Socket errors" <<<"$1" || true; }

# pgbench on FILE at CLIENTS: sets pg_tps and pg_p99 (ms).
pg_run() {  # name, clients, sql file
    local name="$1" clients="$2" file="$3"
    rm -f "$dir/$name".log*
    pg_tps=$(cd "$dir" && "$pgbin/pgbench" -n -h "$sock" -U switchyard -c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" \
             -T "$seconds" -l --log-prefix="$name.log" -f "$file" switchyard 2>&1 | awk '/^tps/ {print $3; exit}')
    # -l: one line per transaction, its latency in microseconds in column 3.
    pg_p99=$(cat "$dir/$name".log* | awk '{print $3}' | sort -n | awk '{v[NR] = $1} END {printf "%.2f", v[int(NR * 0.99)] / 1000}')
}

verdict() {  # condition text, awk condition over a and b
    if awk -v a="$2" -v b="$3" "BEGIN { exit !($4) }"; then echo "  $1: met"; else echo "  $1: MISSED"; missed=1; fi
}

echo
echo "1. one keep-alive client on GET /health"
printf 'SELECT 1 AS ok;\n' >"$dir/health.sql"
out="$(wrk_run 1 /api/v1.0/health)"
p99="$(wrk_p99_ms "$out")"
pg_run health 1 "$dir/health.sql"
echo "  switchyard: $(wrk_rps "$out") requests/s, p99 ${p99} ms $(wrk_errors "$out")"
echo "  pgbench (SELECT 1, 1 client): ${pg_tps} tps, p99 ${pg_p99} ms"
awk -v a="$p99" -v b="$pg_p99" 'BEGIN { printf "  p99 ratio switchyard / pgbench: %.2f\n", a / b }'
verdict "p99 under 5 ms" "$p99" 0 "a < 5"

jobs_path="/api/v1.0/jobs?per_page=50&sort=-id"
# The reference reads what the page shows straight from PostgreSQL, as a
# client without the API would: the count and the 50 documents in one
# transaction. (The API itself runs one statement and takes ended jobs'
# documents from memory, service/api/jobs_page.h; the reference keeps the
# plain reading, so the ratio says what the API adds or saves over it.)
printf 'BEGIN;\n%s;\n%s;\nCOMMIT;\n' \
    "SELECT coalesce((SELECT sum(n) FROM job_counts), 0) + coalesce((SELECT sum(n) FROM job_count_deltas), 0)" \
    "SELECT document FROM job_documents ORDER BY id DESC LIMIT 50 OFFSET 0" >"$dir/jobs.sql"

# Before each measured run, 2 s of the same load, printed but not judged: the
# serve opens its database connections as load asks for them (two at a time)
# and each new backend plans its first statements cold. pgbench too connects
# before it measures ("without initial connection time").
warm_up() {  # connections, path
    local cold
    cold="$(wrk -t2 -c"$1" -d2s --latency -H "Authorization: Bearer $token" "$url$2")"
    echo "  first 2 s (warming up, not judged): $(wrk_rps "$cold") requests/s, p99 $(wrk_p99_ms "$cold") ms"
}

jobs_at() {  # connections
    local c="$1"
    warm_up "$c" "$jobs_path"
    out="$(wrk_run "$c" "$jobs_path")"
    rps="$(wrk_rps "$out")"; p99="$(wrk_p99_ms "$out")"
    pg_run "jobs$c" "$c" "$dir/jobs.sql"
    echo "  switchyard: ${rps} requests/s, p99 ${p99} ms $(wrk_errors "$out")"
    echo "  pgbench (same SQL, $c clients): ${pg_tps} tps, p99 ${pg_p99} ms"
    awk -v a="$rps" -v b="$pg_tps" -v p="$p99" -v q="$pg_p99" \
        'BEGIN { printf "  ratio switchyard / pgbench: throughput %.2f, p99 %.2f\n", a / b, p / q }'
}

echo
echo "2. GET $jobs_path at 8 connections"
jobs_at 8
verdict "throughput at least 0.8 x pgbench" "$rps" "$pg_tps" "a >= 0.8 * b"
verdict "p99 under 20 ms" "$p99" 0 "a < 20"

echo
echo "3. GET $jobs_path at 64 connections"
jobs_at 64
verdict "p99 at most 1.3 x pgbench's" "$p99" "$pg_p99" "a <= 1.3 * b"

filtered_path="/api/v1.0/jobs?per_page=50&sort=-id&filter%5Bstatus%5D=exception&filter%5Bfunction_name%5D=sync_devices"
printf 'BEGIN;\n%s;\n%s;\nCOMMIT;\n' \
    "SELECT coalesce((SELECT sum(n) FROM job_counts WHERE status = 'EXCEPTION' AND function_name = 'sync_devices'), 0) + coalesce((SELECT sum(n) FROM job_count_deltas WHERE status = 'EXCEPTION' AND function_name = 'sync_devices'), 0)" \
    "SELECT document FROM job_documents WHERE status = 'EXCEPTION' AND function_name = 'sync_devices' ORDER BY id DESC LIMIT 50 OFFSET 0" \
    >"$dir/filtered.sql"
warm_up 64 "$filtered_path"
out="$(wrk_run 64 "$filtered_path")"
rps="$(wrk_rps "$out")"; p99="$(wrk_p99_ms "$out")"
pg_run filtered 64 "$dir/filtered.sql"
echo "  filtered ($filtered_path): ${rps} requests/s, p99 ${p99} ms $(wrk_errors "$out");" \
     "pgbench ${pg_tps} tps, p99 ${pg_p99} ms"
awk -v a="$rps" -v b="$pg_tps" -v p="$p99" -v q="$pg_p99" \
    'BEGIN { printf "  ratio switchyard / pgbench: throughput %.2f, p99 %.2f\n", a / b, p / q }'

echo
echo "4. /health and a new client's GET /jobs (new connection each, 20 probes; p50 / slowest, ms)"
probes() {  # label, api_probe output
    awk -v label="$1" '$1 == "health" { printf "  %-34s /health %7.2f / %7.2f", label, $2, $3; f += $4 }
                       $1 == "new_client_jobs" { printf "   GET /jobs %7.2f / %7.2f", $2, $3; f += $4 }
                       $1 == "slow_clients_still_open" { printf "   (slow clients still open: %d)", $2 }
                       END { printf "%s\n", f ? "   FAILED: " f : "" }' <<<"$2"
}
# The slowest probe in ms; a failed probe counts as never answered.
slowest() {
    awk '$1 == "health" || $1 == "new_client_jobs" { if ($3 > m) m = $3; f += $4 } END { print f ? 1e9 : m + 0 }' <<<"$1"
}
idle="$("$probe" "$port" "$token" 20)"
probes "idle server (reference)" "$idle"
slow="$("$probe" "$port" "$token" 20 256)"
probes "256 clients trickling headers" "$slow"
wrk -t2 -c200 -d"$((seconds + 20))s" -H "Authorization: Bearer $token" "$url$jobs_path" >"$dir/busy.out" 2>&1 &
busy_pid=$!
proc_track "$busy_pid"
sleep 3  # wrk's 200 connections are open and busy
busy="$("$probe" "$port" "$token" 20)"
proc_stop_pid "$busy_pid"
probes "200 busy keep-alive clients" "$busy"
for run in "$slow" "$busy"; do
    verdict "slowest answer under 1 s (idle: $(slowest "$idle") ms)" "$(slowest "$run")" 0 "a < 1000"
done

echo
echo "5. idle memory of switchyard serve (RSS, PostgreSQL not counted): $((rss_kb / 1024)) MB (target < 30 MB)"
exit "$missed"
