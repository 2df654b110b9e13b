#!/usr/bin/env bash
# Ends the fixture the role test started: serve (its PostgreSQL with it) and
# the simulator, by the pids recorded; fails if one does not stop.
source "$(dirname "$0")/common.sh"
service_state "$1"
[[ -s "$state_file" ]] || { echo "nothing to stop"; exit 0; }
source "$state_file"
stop_service "$1"
for pid in "${serve_pid:-}" "${sim_pid:-}"; do
    [[ -n "$pid" && -r /proc/$pid/stat ]] && fail "process $pid is still running"
done
echo "serve and simulator stopped"
