#!/usr/bin/env bash
# `make demo`: Switchyard's main job on its embedded defaults.
#  1. starts `switchyard serve` on its embedded PostgreSQL (build/demo-data)
#  2. starts the device simulator with 21 devices (frr, eos, junos) and imports them
#  3. brings 6 devices in sync, changes one of them behind Switchyard's back,
#     makes one unreachable
#  4. a dry run of every device, followed with a progress bar, then the
#     per-device outcome
#  5. a live sync: refused because of the out-of-band change, then forced
#  6. shows the config history of the changed device: what the forced sync replaced
#  7. prints where the API is, a ready-to-paste curl with a token, and a
#     one-time link that signs a browser in to the dashboard
# Ctrl-C (or the end) stops the service, its PostgreSQL and the simulator.
#
# SWITCHYARD_DEMO_SHORT=1 (the test suite runs it so): the same steps with 6
# devices, 3 of them synced first, and no pause at the end.
# SWITCHYARD_DEMO_DIR and SWITCHYARD_DEMO_PORT (the simulator's first port)
# move it elsewhere.
set -euo pipefail
bin_dir="$(cd "$(dirname "${1:-build/bin/switchyard}")" && pwd)"
sy_bin="$bin_dir/switchyard"
sim_bin="$bin_dir/switchyard-sim"
demo="${SWITCHYARD_DEMO_DIR:-$PWD/build/demo}"
data="$demo/data"
rm -rf "$demo"
mkdir -p "$demo"
chmod 711 "$demo" "$(dirname "$demo")" 2>/dev/null || true

if [[ -n "${SWITCHYARD_DEMO_SHORT:-}" ]]; then
    devices=6 first_synced=3 unreachable=sim0005
else
    devices=21 first_synced=6 unreachable=sim0010
fi

source "$(dirname "$0")/processes.sh"
trap proc_stop_all EXIT
trap 'echo; echo "interrupted; cleaning up ..."; exit 130' INT TERM

step() { echo; echo "== $* =="; }

step "starting the device simulator: $devices devices (frr, eos, junos), 20 ms per command"
"$sim_bin" --state-dir "$demo/sim" --devices "$devices" --base-port "${SWITCHYARD_DEMO_PORT:-26001}" \
    --platforms frr,eos,junos --latency-ms 20 >"$demo/sim.log" 2>&1 &
proc_track $!
proc_wait_for_line "$demo/sim.log" "switchyard-sim ready" $!

step "starting switchyard on its embedded PostgreSQL ($data)"
# The simulator's demo login; real logins belong in a config file or the environment.
export SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME=admin SWITCHYARD_CREDENTIALS_DEFAULT_PASSWORD=admin
proc_start_serve "$sy_bin" "$data" "$demo/serve.log" --set sync.lock_wait_seconds=5
sy() { "$sy_bin" "$@" --data-dir "$data"; }
ctl() { "$sim_bin" --state-dir "$demo/sim" --ctl "$1" >/dev/null; }

step "importing the inventory"
sy devices import "$demo/sim/inventory.json"

step "bringing $first_synced devices in sync first (quietly)"
for host in $(seq -f 'sim%04g' 1 "$first_synced"); do
    job=$(sy devices sync --hostname "$host" --live 2>/dev/null)
    sy jobs show "$job" --follow >/dev/null 2>&1
done
sy devices list | head -$((first_synced + 2))

step "sim0002 is changed behind Switchyard's back; $unreachable stops answering"
# A static route added on the device itself (the config as JSON text: \ " and newlines escaped).
config=$(sy devices fetch sim0002 2>/dev/null | tail -n +2 | sed 's#^end$#ip route 192.0.2.0/24 Null0\nend#' |
         awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "%s\\n", $0 }')
ctl "{\"op\":\"set\",\"host\":\"sim0002\",\"config\":\"$config\"}"
ctl "{\"op\":\"faults\",\"host\":\"$unreachable\",\"faults\":{\"refuse_connection\":true}}"

step "dry run of every device"
job=$(sy devices sync --all --resync --comment "demo dry run")
sy jobs show "$job" --follow

step "live sync of every device"
job=$(sy devices sync --all --resync --live --comment "demo live sync")
sy jobs show "$job" --follow | sed -n '/^status:/p;/^exception:/p'
echo "(refused: sim0002 was changed outside Switchyard; nothing was pushed)"

step "live sync again, with force"
job=$(sy devices sync --all --resync --live --force --comment "demo live sync, forced")
sy jobs show "$job" --follow

step "config history of sim0002: what the forced sync replaced"
sy devices history sim0002 | head -6
sy devices diff sim0002

step "the API"
url="$api_url"
token="$(sy token --sub demo --role read --ttl 1h)"
echo "API: $url/api/v1.0/"
echo "try: curl -s -H 'Authorization: Bearer $token' '$url/api/v1.0/jobs?per_page=5&sort=-id&filter_jobresult=config'"
echo "dashboard: $(sy token --link --sub demo --role operator --ttl 8h 2>/dev/null) (a one-time link: open it within 5 minutes)"
if [[ -t 0 && -z "${CI:-}" && -z "${SWITCHYARD_DEMO_SHORT:-}" ]]; then
    echo; echo "the service keeps running for you to try; press Enter (or Ctrl-C) to stop everything"
    read -r _ || true
fi
