# Shared names and paths for the FRR lab (sourced by up.sh, down.sh, lab_test.sh).
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
