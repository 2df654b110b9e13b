#!/bin/bash
# down.sh: remove everything up.sh created (processes, namespaces, veths, FRR
# pathspace dirs, $LAB_DIR), also after a partial or failed up.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
[ "$(id -u)" = 0 ] || die "must run as root"

for ns in $(ip netns list | awk '{print $1}' | grep -E "^$LAB_PREFIX-(r[0-9]+|hub)$"); do
  # Every process in a lab namespace was started by up.sh: end them by pid.
  pids=$(ip netns pids "$ns" 2>/dev/null)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  for _ in $(seq 30); do
    [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break
    sleep 0.1
  done
  pids=$(ip netns pids "$ns" 2>/dev/null)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  ip netns del "$ns"   # also removes the veth ends inside it, and so their peers
done
ip link show "$HOST_VETH" >/dev/null 2>&1 && ip link del "$HOST_VETH"
for dir in /var/run/frr/$LAB_PREFIX-r* /etc/frr/$LAB_PREFIX-r*; do
  [ -d "$dir" ] && rm -rf -- "$dir"
done
rm -rf -- "$LAB_DIR"
echo "lab down"
