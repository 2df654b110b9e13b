#!/bin/bash
# Integration test for the FRR lab: 3 routers up, running config over SSH,
# a config change through vtysh over SSH checked inside the namespace, a BGP
# session between two routers reaching Established, then teardown.
# Fails (never skips) when root or the packages are missing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export SWITCHYARD_LAB_DIR=${SWITCHYARD_LAB_DIR:-/tmp/switchyard-lab-test}
. "$here/common.sh"

require_lab_test_tools

cleanup() { bash "$here/down.sh" >/dev/null 2>&1; }
trap cleanup EXIT
cleanup  # a previous run may have died half-way

bash "$here/up.sh" 3 || fail "up.sh 3 failed"
bash "$here/up.sh" 3 >/dev/null || fail "up.sh is not idempotent"
[ "$(grep -c '"hostname"' "$INVENTORY")" = 3 ] || fail "inventory does not list 3 routers"

r1=$(router_name 1) r2=$(router_name 2)
ip1=$(router_ip 1) ip2=$(router_ip 2)
# ssh_to IP [SSH OPTIONS...] [-- COMMAND]
ssh_to() {
  local ip=$1 opts=() cmd=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift && cmd=("$@")
  ssh -i "$LAB_DIR/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10 -l root "${opts[@]}" "$ip" "${cmd[@]}"
}

# 1. running config over SSH (exec channel -> ForceCommand vtysh -c)
out=$(ssh_to "$ip1" -- "show running-config") || fail "ssh show running-config failed"
grep -q "^frr version" <<<"$out" || fail "no 'frr version' in running config: $out"
grep -q "^ ip address $ip1/24" <<<"$out" || fail "eth0 address missing from running config"

# 2. a change through vtysh over SSH, checked from inside the namespace
ssh_to "$ip1" -- "$(printf 'configure terminal\nip route 10.99.0.0/24 Null0')" || fail "config change over ssh failed"
router_vtysh "$r1" -c 'show running-config' | grep -q "^ip route 10.99.0.0/24 Null0" ||
  fail "change not visible in vtysh -N $r1"
# ... and through an interactive shell (PTY) too
printf 'configure terminal\nip prefix-list LAB seq 5 permit 10.0.0.0/8\nend\nexit\n' | ssh_to "$ip1" -tt >/dev/null
router_vtysh "$r1" -c 'show running-config' | grep -q "^ip prefix-list LAB seq 5 permit 10.0.0.0/8" ||
  fail "interactive change not visible in vtysh -N $r1"

# 3. BGP between r1 and r2 over the lab bridge
router_vtysh "$r1" -c 'configure terminal' -c 'router bgp 65001' -c 'no bgp ebgp-requires-policy' \
  -c "neighbor $ip2 remote-as 65002" >/dev/null || fail "bgp config on $r1"
router_vtysh "$r2" -c 'configure terminal' -c 'router bgp 65002' -c 'no bgp ebgp-requires-policy' \
  -c "neighbor $ip1 remote-as 65001" >/dev/null || fail "bgp config on $r2"
state=""
for _ in $(seq 120); do
  state=$(router_vtysh "$r1" -c "show bgp neighbors $ip2 json" | grep -o '"bgpState":"[A-Za-z]*"')
  [ "$state" = '"bgpState":"Established"' ] && break
  sleep 0.5
done
[ "$state" = '"bgpState":"Established"' ] || fail "BGP $r1-$r2 not Established after 60 s ($state)"
router_vtysh "$r1" -c 'show bgp summary' | grep -q "^$ip2 " || fail "show bgp summary lacks $ip2"

# 4. teardown removes everything
trap - EXIT
bash "$here/down.sh" >/dev/null || fail "down.sh failed"
ip netns list | grep -q "^$LAB_PREFIX-" && fail "namespaces left behind"
ip link show "$HOST_VETH" >/dev/null 2>&1 && fail "host veth left behind"
[ -e "$LAB_DIR" ] && fail "$LAB_DIR left behind"
ls -d /etc/frr/$LAB_PREFIX-r* >/dev/null 2>&1 && fail "FRR pathspace dirs left behind"
echo "PASS: lab up/ssh/vtysh/bgp/down"
