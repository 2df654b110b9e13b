#!/usr/bin/env bash
# Ends the fixture the role test started: serve (its PostgreSQL with it) and
# the simulator, by the pids recorded; fails if one does not stop.
source "$(dirname "$0")/common.sh"
service_state "$1"
[[ -s "$state_file" ]] || { echo "nothing to stop"; exit 0; }
source "$state_file"
stop_service "$1"
source "$source_dir/scripts/processes.sh"
# proc_alive, not /proc/PID alone: the fixture's processes were started by an
# earlier test's shell, so once stopped they are reparented, and where PID 1
# does not reap (a CI container) they linger as zombies, which are stopped.
for pid in "${serve_pid:-}" "${sim_pid:-}"; do
    [[ -n "$pid" ]] && proc_alive "$pid" && fail "process $pid is still running"
done
echo "serve and simulator stopped"
