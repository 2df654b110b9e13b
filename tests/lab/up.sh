#!/bin/bash
# up.sh N: start N FRRouting routers, each in its own network namespace, on a
# bridge (in a namespace of its own) that the host reaches over one veth.
# Each router runs zebra, bgpd and staticd under FRR's pathspace (-N NAME, so
# `vtysh -N NAME` reaches it) and an OpenSSH server whose ForceCommand is vtysh.
# Writes $LAB_DIR/inventory.json. Safe to run again: existing pieces are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

N=${1:-}
[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] && [ "$N" -le 200 ] || die "usage: up.sh N (1..200)"
need_tools

# Refuse to run if someone else already uses the lab's subnet on the host.
if ip -4 -o addr show | grep -v " $HOST_VETH " | grep -q " inet $LAB_NET\."; then
  die "$LAB_NET.0/24 is already in use on this host; set up nothing"
fi

mkdir -p "$LAB_DIR" /run/sshd
chmod 700 "$LAB_DIR"
[ -f "$LAB_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C switchyard-lab -f "$LAB_DIR/id_ed25519"
cp "$LAB_DIR/id_ed25519.pub" "$LAB_DIR/authorized_keys"

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# --- hub namespace with the bridge, and the host's way in -------------------
ns_exists "$HUB_NS" || ip netns add "$HUB_NS"
ip -n "$HUB_NS" link show br0 >/dev/null 2>&1 || ip -n "$HUB_NS" link add br0 type bridge
ip -n "$HUB_NS" link set lo up
ip -n "$HUB_NS" link set br0 up
if ! ip link show "$HOST_VETH" >/dev/null 2>&1; then
  ip link add "$HOST_VETH" type veth peer name hostport netns "$HUB_NS"
fi
ip -n "$HUB_NS" link set hostport master br0 up
ip addr replace "$LAB_HOST_IP/24" dev "$HOST_VETH"
ip link set "$HOST_VETH" up

# --- routers (in_router: common.sh) -------------------------------------------
start_router() {
  local i=$1 name ip run etc
  name=$(router_name "$i")
  ip=$(router_ip "$i")
  run=$(frr_run_dir "$name")
  etc=$(frr_etc_dir "$name")

  ns_exists "$name" || ip netns add "$name"
  if ! ip -n "$name" link show eth0 >/dev/null 2>&1; then
    ip link add "$LAB_PREFIX-v$i" type veth peer name eth0 netns "$name"
    ip link set "$LAB_PREFIX-v$i" netns "$HUB_NS"
  fi
  ip -n "$HUB_NS" link set "$LAB_PREFIX-v$i" master br0 up
  ip -n "$name" link set lo up
  ip -n "$name" addr replace "$ip/24" dev eth0
  ip -n "$name" link set eth0 up

  # FRR pathspace: config in /etc/frr/NAME, sockets and pids in /var/run/frr/NAME.
  mkdir -p "$run" "$etc"
  chown frr:frr "$run" "$etc"
  if [ ! -f "$etc/frr.conf" ]; then
    cat >"$etc/frr.conf" <<CONF
frr defaults traditional
hostname $name
log syslog informational
service integrated-vtysh-config
!
interface eth0
 ip address $ip/24
exit
!
CONF
    chown frr:frr "$etc/frr.conf"
  fi
  [ -f "$etc/vtysh.conf" ] || echo "service integrated-vtysh-config" >"$etc/vtysh.conf"
  local started=0 d
  for d in $FRR_DAEMONS; do
    pid_alive "$run/$d.pid" && continue
    # -P 0: no TCP vty port; vtysh talks over the pathspace's unix sockets.
    in_router "$name" "$FRR_LIB/$d" -N "$name" -d -P 0 -F traditional -i "$run/$d.pid" \
      -f /dev/null >>"$LAB_DIR/$name-frr.log" 2>&1
    started=1
  done
  if [ "$started" = 1 ]; then
    # Like frrinit.sh: daemons start empty, then vtysh -b loads frr.conf into them.
    for _ in $(seq 50); do
      [ -S "$run/zebra.vty" ] && [ -S "$run/bgpd.vty" ] && [ -S "$run/staticd.vty" ] && break
      sleep 0.1
    done
    ip netns exec "$name" vtysh -N "$name" -b >>"$LAB_DIR/$name-frr.log" 2>&1 ||
      die "$name: vtysh -b failed, see $LAB_DIR/$name-frr.log"
  fi

  # OpenSSH server inside the namespace; every login lands in this router's vtysh.
  local sdir=$LAB_DIR/$name
  mkdir -p "$sdir"
  [ -f "$sdir/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -f "$sdir/ssh_host_ed25519_key"
  cat >"$sdir/vtysh-login" <<SH
#!/bin/sh
# sshd ForceCommand: exec channel -> one vtysh command; no command -> interactive vtysh.
if [ -n "\${SSH_ORIGINAL_COMMAND:-}" ]; then
  exec vtysh -N $name -c "\$SSH_ORIGINAL_COMMAND"
fi
exec vtysh -N $name
SH
  chmod 755 "$sdir/vtysh-login"
  cat >"$sdir/sshd_config" <<CONF
ListenAddress $ip
Port 22
HostKey $sdir/ssh_host_ed25519_key
PidFile $sdir/sshd.pid
AuthorizedKeysFile $LAB_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
# sshd runs the ForceCommand through root's login shell, and bash run by
# sshd reads ~/.bashrc unless it is a nested shell. A host's ~/.bashrc is
# not the router's: one running `pyenv init` printed "rm: cannot remove ..."
# into the config read, and a login killed mid-rehash left pyenv's lock
# behind, so that every later login waited 60 s for it (lab_frr_sync's
# recovery read nothing in 60 s). SHLVL=1 makes bash count itself nested.
SetEnv SHLVL=1
ForceCommand $sdir/vtysh-login
CONF
  if ! pid_alive "$sdir/sshd.pid"; then
    in_router "$name" /usr/sbin/sshd -f "$sdir/sshd_config" -E "$LAB_DIR/$name-sshd.log"
  else
    # Already up from an earlier run: SIGHUP makes sshd re-read the config
    # written above (new sessions get it; open ones are left alone).
    kill -HUP "$(cat "$sdir/sshd.pid")"
  fi
}

entries=()
for i in $(seq 1 "$N"); do
  start_router "$i"
  name=$(router_name "$i")
  entries+=("{\"hostname\": \"$name\", \"management_ip\": \"$(router_ip "$i")\", \"port\": 22, \"platform\": \"frr\", \"device_type\": \"UNKNOWN\", \"username\": \"root\", \"key_path\": \"$LAB_DIR/id_ed25519\", \"netns\": \"$name\", \"pathspace\": \"$name\"}")
done
{
  echo "["
  for k in "${!entries[@]}"; do
    sep=","
    [ "$k" = $((${#entries[@]} - 1)) ] && sep=""
    echo "  ${entries[$k]}$sep"
  done
  echo "]"
} >"$INVENTORY.tmp"
mv "$INVENTORY.tmp" "$INVENTORY"

# Ready when every sshd answers on port 22.
for i in $(seq 1 "$N"); do
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/$(router_ip "$i")/22") 2>/dev/null && break
    sleep 0.1
  done
done
echo "lab up: $N routers, inventory $INVENTORY"
