#!/usr/bin/env bash
# `ansible-inventory --list` with switchyard.switchyard.inventory against the
# fixture's serve (6 simulated devices imported, sim0006 UNMANAGED, groups
# pod1 and pod2): the MANAGED devices only, grouped by group, device type,
# platform and sync state, ansible_host/port/network_os set, Constructable
# (compose, keyed_groups) and filters work, paging (2 per page) reads every
# page, Cacheable (a cached run needs no API: a bad token still lists from the
# cache, and fails once the cache is flushed); the token from the environment
# or from the file; no token, password or secret anywhere in the output.
source "$(dirname "$0")/common.sh"
build_dir="$(cd "$1" && pwd)"
require ansible-inventory ansible python3 python3
open_service_test "$build_dir" inventory
# A source the plugin cannot read fails the command instead of a warning.
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true

list() {  # name, inventory file, extra args...
    local name="$1" file="$2"
    shift 2
    ansible-inventory -i "$file" --list "$@" >"$work/$name.json" 2>"$work/$name.err" ||
        { cat "$work/$name.err"; return 1; }
    assert_no_secret "ansible-inventory ($name)" "$work/$name.json" "$work/$name.err"
}

note "every MANAGED device, token from SWITCHYARD_TOKEN, 2 devices per page"
cat >"$work/paged.switchyard.yml" <<YML
plugin: switchyard.switchyard.inventory
url: $api_url
per_page: 2
compose:
  ansible_connection: "'ansible.netcommon.network_cli'"
keyed_groups:
  - key: switchyard_platform
    prefix: os
YML
SWITCHYARD_TOKEN="$read_token" list paged "$work/paged.switchyard.yml" || fail "ansible-inventory --list"
python3 - "$work/paged.json" "$inventory_json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
devices = {d["hostname"]: d for d in json.load(open(sys.argv[2]))}
hostvars = inv["_meta"]["hostvars"]
def fail(msg):
    print(json.dumps(inv, indent=1)); sys.exit("FAIL: " + msg)
def members(group):
    return sorted(inv.get(group, {}).get("hosts", []))
managed = ["sim0001", "sim0002", "sim0003", "sim0004", "sim0005"]
if sorted(hostvars) != managed: fail("hosts %s, expected the MANAGED %s" % (sorted(hostvars), managed))
expect = {
    "group_pod1": ["sim0001", "sim0002", "sim0003"], "group_pod2": ["sim0004", "sim0005"],
    "platform_frr": ["sim0001", "sim0004"], "platform_eos": ["sim0002", "sim0005"], "platform_junos": ["sim0003"],
    "os_frr": ["sim0001", "sim0004"], "unsynchronized": managed, "synchronized": [],
}
for host in managed:
    expect.setdefault("device_type_" + devices[host]["device_type"].lower(), []).append(host)
for group, hosts in expect.items():
    if members(group) != sorted(hosts): fail("group %s has %s, expected %s" % (group, members(group), hosts))
network_os = {"frr": "frr.frr.frr", "eos": "arista.eos.eos", "junos": "junipernetworks.junos.junos"}
for host in managed:
    v, d = hostvars[host], devices[host]
    want = {"ansible_host": "127.0.0.1", "ansible_port": d["port"], "ansible_network_os": network_os[d["platform"]],
            "ansible_connection": "ansible.netcommon.network_cli", "switchyard_platform": d["platform"],
            "switchyard_state": "MANAGED", "switchyard_synchronized": False, "switchyard_groups": d["groups"]}
    for k, val in want.items():
        if v.get(k) != val: fail("%s: %s is %r, expected %r" % (host, k, v.get(k), val))
    if set(k for k in v if not k.startswith(("switchyard_", "ansible_"))): fail("%s: unexpected variables %s" % (host, v))
print("hosts, groups and host variables as expected:", ", ".join("%s=%d" % (g, len(h)) for g, h in sorted(expect.items())))
PY

note "filters: platform eos, any state; group pod2"
cat >"$work/filtered.switchyard.yml" <<YML
plugin: switchyard.switchyard.inventory
url: $api_url
token: $read_token
state: any
platform: eos
group_by: [platform]
YML
list filtered "$work/filtered.switchyard.yml" || fail "ansible-inventory with filters"
python3 -c '
import json, sys
inv = json.load(open(sys.argv[1]))
hosts = sorted(inv["_meta"]["hostvars"])
assert hosts == ["sim0002", "sim0005"], hosts
assert "group_pod1" not in inv and "unsynchronized" not in inv, sorted(inv)
' "$work/filtered.json" || fail "the platform filter with state any (the token from the file)"
sed -i 's/^platform: eos/group: pod2/; s/^state: any/state: UNMANAGED/' "$work/filtered.switchyard.yml"
list unmanaged "$work/filtered.switchyard.yml" || fail "ansible-inventory with state UNMANAGED"
python3 -c '
import json, sys
hosts = sorted(json.load(open(sys.argv[1]))["_meta"]["hostvars"])
assert hosts == ["sim0006"], hosts
' "$work/unmanaged.json" || fail "state UNMANAGED and group pod2 select sim0006 alone"

note "the cache: a second run reads it, not the API"
cat >"$work/cached.switchyard.yml" <<YML
plugin: switchyard.switchyard.inventory
url: $api_url
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: $work/cache
cache_timeout: 600
YML
SWITCHYARD_TOKEN="$read_token" list cached-1 "$work/cached.switchyard.yml" || fail "ansible-inventory with a cache"
ls "$work/cache"/* >/dev/null 2>&1 || fail "no cache file written"
assert_no_secret "the inventory cache" "$work/cache"/*
SWITCHYARD_TOKEN="not-a-token" list cached-2 "$work/cached.switchyard.yml" || fail "the cached inventory needed the API"
cmp -s <(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["_meta"]["hostvars"]))' "$work/cached-1.json") \
       <(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["_meta"]["hostvars"]))' "$work/cached-2.json") ||
    fail "the cached inventory differs"
rm -rf "$work/cache"
if SWITCHYARD_TOKEN="not-a-token" list flushed "$work/cached.switchyard.yml"; then
    fail "a bad token was accepted once the cache was flushed"
fi
grep -q "401" "$work/flushed.err" || { cat "$work/flushed.err"; fail "the bad token's failure does not say 401"; }
echo "inventory plugin checked"
