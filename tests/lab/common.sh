# Shared names, paths and helpers for the FRR lab (sourced by up.sh, down.sh and
# the lab tests lab_test.sh and sync_lab_test.sh).
# Everything the lab creates carries the "sylab" prefix or lives under LAB_DIR,
# so down.sh can remove exactly that and nothing else.
LAB_PREFIX=${SWITCHYARD_LAB_PREFIX:-sylab}
LAB_DIR=${SWITCHYARD_LAB_DIR:-/tmp/switchyard-lab}
LAB_NET=172.31.250            # /24 used only inside the lab's namespaces and its host veth
LAB_HOST_IP=$LAB_NET.254      # the host's side of the lab
HUB_NS=$LAB_PREFIX-hub        # namespace holding the bridge
HOST_VETH=$LAB_PREFIX-host    # host end of the host<->hub veth
FRR_LIB=/usr/lib/frr
FRR_DAEMONS="zebra bgpd staticd"
INVENTORY=$LAB_DIR/inventory.json

router_name() { echo "$LAB_PREFIX-r$1"; }
router_ip() { echo "$LAB_NET.$((10 + $1))"; }
frr_run_dir() { echo "/var/run/frr/$1"; }
frr_etc_dir() { echo "/etc/frr/$1"; }

die() { echo "lab: $*" >&2; exit 1; }

need_tools() {
  [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, FRR daemons, sshd)"
  for t in ip vtysh ssh ssh-keygen /usr/sbin/sshd "$FRR_LIB/zebra" "$FRR_LIB/bgpd" "$FRR_LIB/staticd"; do
    command -v "$t" >/dev/null 2>&1 || [ -x "$t" ] ||
      die "missing $t: install the Debian packages frr, openssh-server, openssh-client and iproute2"
  done
}

# Runs a command in the router's network namespace and in a UTS namespace of
# its own named after the router: vtysh shows the system hostname, so this is
# what makes prompts and `hostname` in show running-config say the router
# (without it, a vtysh started from the host adds a second `hostname HOST` line).
in_router() {
  local name=$1
  shift
  ip netns exec "$name" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$name" "$@"
}

# vtysh on router NAME as its SSH logins see it: router_vtysh NAME ARGS...
router_vtysh() {
  local name=$1
  shift
  in_router "$name" vtysh -N "$name" "$@"
}

# --- for the lab tests ---------------------------------------------------------
fail() { echo "FAIL: $*" >&2; exit 1; }

# The lab tests fail (never skip) without root or the packages the lab runs on.
# Extra Debian packages a test needs beyond the lab's may be named as arguments.
require_lab_test_tools() {
  [ "$(id -u)" = 0 ] || fail "the lab tests need root (network namespaces, FRR daemons, sshd)"
  local p missing=()
  for p in frr openssh-server openssh-client iproute2 "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} = 0 ] ||
    fail "Debian package(s) ${missing[*]} missing: apt-get install -y frr openssh-server openssh-client iproute2 $*"
}
