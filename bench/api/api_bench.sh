#!/usr/bin/env bash
# API benchmark: 1,000,000 jobs in the table; wrk at 64 connections on
# GET /jobs?per_page=50&sort=-id and on a filtered query; in the same run
# pgbench executes the same SQL (page + X-Total-Count count) at 64 clients;
# prints requests/s, p99, the ratio to pgbench, errors, and the service's
# idle memory. Usage: bench/api/api_bench.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
sy="$build/bin/switchyard"
jobs="${BENCH_JOBS:-1000000}"
seconds="${BENCH_SECONDS:-10}"
for tool in wrk; do command -v $tool >/dev/null || { echo "FAIL: $tool missing: apt-get install $tool (make deps does)"; exit 1; }; done
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

source "$root/scripts/processes.sh"

dir="$(mktemp -d /tmp/sy-apibench-XXXXXX)"; chmod 711 "$dir"
cleanup() { proc_stop_all; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

proc_start_serve "$sy" "$dir/data" "$dir/serve.log" --set api.threads=72 --set api.max_event_streams=4 \
    --set database.pool_size=64 --log-level warn
pid=$serve_pid
url="$api_url"
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

run() {  # name, path, page SQL, count SQL
    local name="$1" path="$2" page_sql="$3" count_sql="$4"
    local out; out="$(wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url$path")"
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
    printf 'BEGIN;\n%s;\n%s;\nCOMMIT;\n' "$page_sql" "$count_sql" >"$dir/$name.sql"
    local tps pg_p99
    # -l: one line per transaction, its latency in microseconds in column 3.
    tps=$(cd "$dir" && "$pgbin/pgbench" -n -h "$sock" -U switchyard -c 64 -j 2 -T "$seconds" -l --log-prefix="$name" \
          -f "$dir/$name.sql" switchyard 2>&1 | awk '/^tps/ {print $3; exit}')
    pg_p99=$(cat "$dir/$name".* | awk '{print $3}' | sort -n | awk '{v[NR] = $1} END {printf "%.2fms", v[int(NR * 0.99)] / 1000}')
    echo "$name: $path"
    echo "  switchyard: ${rps} requests/s, p99 ${p99} ${errors:+, $errors}"
    echo "  pgbench (same SQL, 64 clients): ${tps} tps, p99 ${pg_p99}"
    awk -v a="$rps" -v b="$tps" 'BEGIN { printf "  ratio switchyard / pgbench: %.2f (target >= 0.5)\n", a / b }'
}
# The count is X-Total-Count as the API computes it (service/api/jobs_query.cpp).
run unfiltered "/api/v1.0/jobs?per_page=50&sort=-id" \
    "SELECT document FROM job_documents ORDER BY id DESC LIMIT 50 OFFSET 0" \
    "SELECT coalesce((SELECT sum(n) FROM job_counts), 0) + coalesce((SELECT sum(n) FROM job_count_deltas), 0)"
run filtered "/api/v1.0/jobs?per_page=50&sort=-id&filter%5Bstatus%5D=exception&filter%5Bfunction_name%5D=sync_devices" \
    "SELECT document FROM job_documents WHERE status = 'EXCEPTION' AND function_name = 'sync_devices' ORDER BY id DESC LIMIT 50 OFFSET 0" \
    "SELECT coalesce((SELECT sum(n) FROM job_counts WHERE status = 'EXCEPTION' AND function_name = 'sync_devices'), 0) + coalesce((SELECT sum(n) FROM job_count_deltas WHERE status = 'EXCEPTION' AND function_name = 'sync_devices'), 0)"
echo "idle memory of switchyard serve (RSS, PostgreSQL not counted): $((rss_kb / 1024)) MB (target < 30 MB)"
