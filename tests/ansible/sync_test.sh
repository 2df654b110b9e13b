#!/usr/bin/env bash
# playbooks/sync.yml and the modules against the fixture's serve and
# simulator (5 MANAGED devices):
#  1. --check --diff: a dry run; changed, a diff per device, no device changed
#  2. a live run for change CHG-1: changed, every device now runs its intended
#     config (a line the dry run wanted to add is on the device)
#  3. run again for CHG-1: the idempotency key gives back CHG-1's job, no second sync
#  4. run again without a change: changed=false (every device synchronized)
#  5. --check with resync: the devices are read again and nothing differs
#  6. modules_test.yml: job_info, job_wait, a failing device, joblock
# No token, password or secret in any output (-vvv included) nor in serve's log.
source "$(dirname "$0")/common.sh"
build_dir="$(cd "$1" && pwd)"
require ansible-playbook ansible python3 python3
open_service_test "$build_dir" sync
export SWITCHYARD_API_URL="$api_url"
sy() { "$sy_bin" "$@" --config "$config" --data-dir "$data"; }
sim_config() { "$sim_bin" --state-dir "$sim_state" --ctl "{\"op\":\"get\",\"host\":\"$1\"}"; }

sync_play() {  # name, ansible-playbook arguments...
    local name="$1"
    shift
    SWITCHYARD_TOKEN="$operator_token" ANSIBLE_STDOUT_CALLBACK=json \
        ansible-playbook "$collection_dir/playbooks/sync.yml" "$@" >"$work/$name.json" 2>"$work/$name.err" ||
        { cat "$work/$name.json" "$work/$name.err"; fail "sync.yml ($name)"; }
    assert_no_secret "sync.yml ($name)" "$work/$name.json" "$work/$name.err"
}
# A field of the device_syncto task's result (Python expression on r).
result() {  # name, expression
    python3 -c '
import json, sys
play = json.load(open(sys.argv[1]))
r = play["plays"][0]["tasks"][0]["hosts"]["localhost"]
stats = play["stats"]["localhost"]
print(eval(sys.argv[2]))' "$work/$1.json" "$2"
}
check() {  # name, expression that must be True, message
    [[ "$(result "$1" "$2")" == True ]] || { result "$1" 'json.dumps(r, indent=1)'; fail "$1: $3"; }
}
managed="['sim0001', 'sim0002', 'sim0003', 'sim0004', 'sim0005']"

note "1. --check --diff: a dry run"
sync_play check --check --diff
check check "r['changed'] and stats['changed'] == 1" "the dry run is not changed"
check check "r['changed_devices'] == $managed and r['failed_devices'] == []" "not every device differs"
check check "len(r['job_ids']) == 1 and r['existing'] is False" "one job expected"
check check "len(r['diff']) == 5 and all('prepared' in d for d in r['diff'])" "no diff per device"
check check "all('@@' in d['prepared'] for d in r['diff'])" "the diffs are not unified diffs"
# A line the dry run would add on sim0001, not on the device yet.
added="$(result check "next(l[1:].strip() for l in r['devices']['sim0001']['diff'].splitlines() if l.startswith('+') and not l.startswith('+++') and l[1:].strip())")"
echo "sim0001 would get: $added"
sim_config sim0001 | python3 -c 'import json,sys; c=json.load(sys.stdin)["config"]; sys.exit(sys.argv[1] in [l.strip() for l in c.splitlines()])' "$added" ||
    fail "the dry run changed sim0001"

note "2. a live run for change CHG-1"
sync_play live -e change=CHG-1
check live "r['changed'] and stats['changed'] == 1 and r['status'] == 'FINISHED'" "the live run is not changed"
check live "r['changed_devices'] == $managed and r['failed_devices'] == [] and not r['existing']" "not every device was changed"
check live "'diff' not in r" "a diff without --diff"
live_job="$(result live "r['job_id']")"
sim_config sim0001 | python3 -c 'import json,sys; c=json.load(sys.stdin)["config"]; sys.exit(sys.argv[1] not in [l.strip() for l in c.splitlines()])' "$added" ||
    fail "sim0001 does not run '$added' after the live run"
synced="$(curl -sS -H "Authorization: Bearer $read_token" "$api_url/api/v1.0/devices?filter%5Bsynchronized%5D=true&filter%5Bstate%5D=MANAGED" |
          python3 -c 'import json,sys; print(sorted(d["hostname"] for d in json.load(sys.stdin)["data"]["devices"]))')"
[[ "$synced" == "$managed" ]] || fail "synchronized after the live run: $synced"

note "3. CHG-1 again: its job, not a second sync"
jobs_before="$(sy jobs list 2>/dev/null | wc -l)"
sync_play replay -e change=CHG-1
check replay "r['existing'] is True and r['job_id'] == $live_job" "the idempotency key did not give back job $live_job"
[[ "$(sy jobs list 2>/dev/null | wc -l)" == "$jobs_before" ]] || fail "a second job was scheduled for CHG-1"

note "4. again without a change: changed=false"
sync_play again
check again "not r['changed'] and stats['changed'] == 0 and r['job_ids'] == []" "a second run changed something"

note "5. --check with resync: the devices are read again, nothing differs"
sync_play resync --check --diff -e sync_resync=true
check resync "not r['changed'] and stats['changed'] == 0 and len(r['job_ids']) == 1" "the devices differ after the live run"
check resync "r['changed_devices'] == [] and r['diff'] == [] and sorted(r['devices']) == $managed" "a device differs"

note "6. job_info, job_wait, a failing device, joblock (ansible-playbook -vvv)"
lock_job="$(sy jobs enqueue sleep --args '{"seconds": 600, "lock": "ansible-test"}' | grep -oE '[0-9]+' | head -1)"
[[ -n "$lock_job" ]] || fail "could not enqueue the sleep job holding a lock"
SWITCHYARD_TOKEN="$admin_token" ansible-playbook -vvv "$tests_dir/modules_test.yml" \
    -e "live_job=$live_job" -e "lock_job=$lock_job" -e "sim_bin=$sim_bin" -e "sim_state=$sim_state" \
    >"$work/modules.log" 2>&1 || { cat "$work/modules.log"; fail "modules_test.yml"; }
grep -E "^localhost +:" "$work/modules.log"
assert_no_secret "modules_test.yml -vvv" "$work/modules.log"
grep -q "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" "$work/modules.log" || fail "-vvv shows no masked token: was it passed?"

note "no secret in serve's log"
assert_no_secret "serve's log" "$serve_log"
echo "sync.yml and the modules checked"
