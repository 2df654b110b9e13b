#!/usr/bin/env bash
# demo_test.sh SWITCHYARD: `make demo`'s script (scripts/demo.sh) in its short,
# non-interactive form (SWITCHYARD_DEMO_SHORT=1: 6 devices, no pause), on a
# private directory and free ports, with its output checked step by step.
# Fails if the demo breaks or says something other than what it shows.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sy_bin=${1:?usage: demo_test.sh PATH/TO/switchyard (switchyard-sim beside it)}
source "$here/check.sh"
source "$root/scripts/processes.sh"
[ -x "$(dirname "$sy_bin")/switchyard-sim" ] || fail "no switchyard-sim beside $sy_bin (build the switchyard-sim target)"

work=$(mktemp -d /tmp/sy-demo-test-XXXXXX)
chmod 711 "$work"
trap 'rm -rf "$work"' EXIT
out="$work/demo.out"

port=$(proc_free_port_range 6) || fail "no free ports for the simulator"
SWITCHYARD_DEMO_SHORT=1 SWITCHYARD_DEMO_DIR="$work/demo" SWITCHYARD_DEMO_PORT=$port \
    timeout 600 bash "$root/scripts/demo.sh" "$sy_bin" >"$out" 2>&1 </dev/null
rc=$?
show_on_failure "$out"
check "the demo exits 0 (got $rc)" test "$rc" = 0

# section TITLE: the demo's output from "== TITLE" to the next section.
section() { awk -v t="== $1" 'index($0, t) == 1 {on = 1; print; next} /^== / {on = 0} on' "$out"; }
# device_row TITLE HOST: that device's row of the per-device table in the section.
device_row() { section "$1" | awk -v h="$2" '$1 == h'; }

check "6 simulated devices imported" grep -q "^imported 6 device(s) from .*: 6 new, 0 updated$" "$out"
check "the 3 synced first are listed as in sync" \
    test "$(section "bringing 3 devices in sync first" | awk '$1 ~ /^sim000[123]$/ && $7 == "yes"' | wc -l)" = 3

dry="dry run of every device"
check "the dry run ends FINISHED" grep -qx "status: FINISHED" <(section "$dry")
check "the dry run is a dry run" grep -qx "function_name: sync_devices (dry_run)" <(section "$dry")
check "the dry run has a row per device" test "$(section "$dry" | grep -c '^sim000[1-6] ')" = 6
check "the dry run shows sim0002's out-of-band route as a change" \
    awk '$2 == "ok" && $4 >= 1 {found = 1} END {exit !found}' <(device_row "$dry" sim0002)
check "the dry run reports the unreachable sim0005 FAILED, naming the refusal" \
    grep -q "^sim0005 *FAILED .*Connection refused" <(section "$dry")
check "the dry run finds the devices already in sync unchanged" \
    awk '$2 == "ok" && $4 == 0 {n++} END {exit n != 2}' <(device_row "$dry" sim0001; device_row "$dry" sim0003)
check "the progress bar reached 6/6" grep -q "6/6 devices  FINISHED" <(section "$dry")

live="live sync of every device"
check "the live sync is refused (EXCEPTION)" grep -qx "status: EXCEPTION" <(section "$live")
check "the refusal names sim0002 as changed outside Switchyard" \
    grep -q "changed outside Switchyard since their last sync: sim0002; nothing was pushed" <(section "$live")

forced="live sync again, with force"
check "the forced sync ends FINISHED" grep -qx "status: FINISHED" <(section "$forced")
check "the forced sync commits and confirms sim0002 (confirm_mode 1, the default)" grep -q "^sim0002 *ok .* committed and confirmed (verified after the confirm)$" <(section "$forced")
check "the forced sync still reports sim0005 FAILED" grep -q "^sim0005 *FAILED " <(section "$forced")

history="config history of sim0002"
check "sim0002's history has the forced sync's read and push" \
    awk '$4 == "read" {r = 1} $4 == "pushed" {p = 1} END {exit !(r && p)}' <(section "$history")
check "the history diff shows the out-of-band route taken away" \
    grep -qx -- "-ip route 192.0.2.0/24 Null0" <(section "$history")

check "the API's address is printed" grep -qE "^API: http://127\.0\.0\.1:[0-9]+/api/v1\.0/$" "$out"
check "a ready-to-paste curl with a token is printed" \
    grep -qE "^try: curl -s -H 'Authorization: Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+' 'http://127\.0\.0\.1:[0-9]+/api/v1\.0/jobs" "$out"
# The demo stops what it started: the service (and its PostgreSQL) and the simulator.
none_left() { ! pgrep -f "$work/demo/" >/dev/null; }
check "no process of the demo is left running" none_left

finish
