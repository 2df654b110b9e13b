#!/usr/bin/env bash
# `make demo`: Switchyard on its embedded store, a handful of demonstration
# jobs (a lock held and waited for, a retry with backoff, a chained job, a
# scheduled job, an abort), shown until every one has ended. Ctrl-C stops it
# all cleanly. (The device sync demo replaces this once the sync lands.)
set -euo pipefail
bin="${1:-build/bin/switchyard}"
data="${SWITCHYARD_DEMO_DIR:-$PWD/build/demo-data}"
log="$data.log"
mkdir -p "$(dirname "$data")"
chmod o+x "$(dirname "$data")" 2>/dev/null || true

"$bin" serve --data-dir "$data" >"$log" 2>&1 &
serve_pid=$!
stop() {
    if kill -0 "$serve_pid" 2>/dev/null; then
        echo "stopping switchyard (and its embedded PostgreSQL) ..."
        kill -TERM "$serve_pid"
        wait "$serve_pid" || true
    fi
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "starting switchyard on its embedded store in $data (log: $log) ..."
for _ in $(seq 1 600); do
    grep -q "switchyard serving" "$log" && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$log"; echo "switchyard did not start" >&2; exit 1; }
    sleep 0.1
done
grep -q "switchyard serving" "$log" || { cat "$log"; echo "switchyard did not start in 60 s" >&2; exit 1; }

sy() { "$bin" "$@" --data-dir "$data"; }
echo "enqueueing demonstration jobs:"
ids=()
ids+=("$(sy jobs enqueue noop --comment 'does nothing, at once')")
ids+=("$(sy jobs enqueue sleep --args '{"seconds": 3, "lock": "devices"}' --comment 'holds the devices lock for 3 s')")
ids+=("$(sy jobs enqueue sleep --args '{"seconds": 1, "lock": "devices", "lock_wait": 10}' --comment 'waits for the devices lock')")
ids+=("$(sy jobs enqueue sleep --args '{"seconds": 0.5, "fail": 2}' --max-attempts 3 --comment 'fails twice, retried with backoff')")
ids+=("$(sy jobs enqueue noop --args '{"then": {"function_name": "sleep", "args": {"seconds": 1}}}' --comment 'chains a next job')")
ids+=("$(sy jobs enqueue noop --in 4 --comment 'scheduled 4 s ahead')")
ids+=("$(sy jobs enqueue sleep --args '{"seconds": 60}' --comment 'will be aborted')")
echo "  jobs ${ids[*]}"
sleep 1
sy jobs abort "${ids[6]}" --reason "demo: not needed after all" >/dev/null

ended() { sy jobs list --limit 50 | awk 'NR > 1 && $3 ~ /FINISHED|EXCEPTION|ABORTED/' | wc -l; }
total() { sy jobs list --limit 50 | awk 'NR > 1' | wc -l; }
for _ in $(seq 1 120); do
    done_count=$(ended); all=$(total)
    width=30; filled=$((done_count * width / all))
    printf '\r[%-*s] %d/%d jobs ended' "$width" "$(printf '#%.0s' $(seq 1 $filled) 2>/dev/null | head -c $filled)" "$done_count" "$all"
    [[ "$done_count" -eq "$all" ]] && break
    sleep 0.5
done
echo; echo
sy jobs list --limit 50
echo
echo "one job in full:  $bin jobs show ${ids[3]} --data-dir $data"
sy jobs show "${ids[3]}"
