#!/usr/bin/env bash
# The deploy role (switchyard.switchyard.deploy, through playbooks/deploy.yml)
# applied with connection: local to a scratch root, service management off:
# it unpacks the package built by package_deb, writes the config (0640), the
# secrets' environment file (0600), the shared JWT secret and the unit's
# drop-in; a second run changes nothing; `systemd-analyze verify` passes on
# the unit with its drop-in; the installed binary starts with that config
# (and the environment file, as systemd would hand it over) and answers
# /health. It then leaves that serve and a simulator running, with the
# simulator's devices imported, for the inventory and sync tests
# (fixture switchyard_service; ansible_service_stop ends it).
source "$(dirname "$0")/common.sh"
build_dir="$(cd "$1" && pwd)"
sim_bin="$(realpath "$2")"
require ansible-playbook ansible systemd-analyze systemd jq jq curl curl dpkg-deb dpkg
source "$source_dir/scripts/processes.sh"
deb="$(ls "$build_dir"/ansible-tests/package/switchyard_*_amd64.deb 2>/dev/null | head -1)"
[[ -f "$deb" ]] || fail "no package in $build_dir/ansible-tests/package: the package_deb test builds it"

stop_service "$build_dir"   # a run that was interrupted
service_state "$build_dir"
mkdir -p "$state_dir"
scratch="$(mktemp -d /tmp/sy-ansible.XXXXXX)"
chmod 711 "$scratch"
root="$scratch/root"
use_collection "$scratch/ansible"
device_password="sim-pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
{
    echo "scratch=$scratch"
    echo "root=$root"
} >"$state_file"

note "the simulator: 6 devices (frr, eos, junos)"
for attempt in 1 2 3; do
    : >"$scratch/sim.log"
    base_port="$(proc_free_port_range 6)"
    setsid "$sim_bin" --state-dir "$scratch/sim" --devices 6 --base-port "$base_port" --platforms frr,eos,junos \
        --latency-ms 2 --password "$device_password" </dev/null >"$scratch/sim.log" 2>&1 &
    sim_pid=$!
    echo "sim_pid=$sim_pid" >>"$state_file"
    proc_wait_for_line "$scratch/sim.log" "switchyard-sim ready" "$sim_pid" 60 && break
    grep -q "Address already in use" "$scratch/sim.log" || fail "the simulator did not start"
done
proc_alive "$sim_pid" || fail "the simulator did not start"

note "the role, twice, on $root"
extra=(-e "switchyard_root=$root" -e "switchyard_package_file=$deb" -e switchyard_manage_service=false
       -e "switchyard_jwt_secret_file=$scratch/controller/jwt-secret")
cat >"$scratch/role-vars.yml" <<VARS
switchyard_listen: "127.0.0.1:0"
switchyard_log_level: info
switchyard_templates_dir: "$root/usr/share/switchyard/templates"
switchyard_settings_dir: "$root/usr/share/switchyard/templates/settings"
switchyard_shutdown_grace_seconds: 20
switchyard_credentials:
  default:
    username: admin
    password: "$device_password"
switchyard_settings:
  sync:
    lock_wait_seconds: 5
  jobs:
    progress_flush_ms: 200
VARS
play() {  # log file
    ansible-playbook -i "$tests_dir/role_test.yml" "$collection_dir/playbooks/deploy.yml" "${extra[@]}" \
        -e "@$scratch/role-vars.yml" >"$1" 2>&1 || { cat "$1"; fail "the role failed"; }
}
play "$scratch/role-1.log"
grep -E "^scratch +:" "$scratch/role-1.log"
grep -qE "^scratch +: ok=[0-9]+ +changed=[1-9]" "$scratch/role-1.log" || { cat "$scratch/role-1.log"; fail "the first run changed nothing"; }
play "$scratch/role-2.log"
grep -E "^scratch +:" "$scratch/role-2.log"
grep -qE "^scratch +: ok=[0-9]+ +changed=0 .*failed=0" "$scratch/role-2.log" || { cat "$scratch/role-2.log"; fail "the second run changed something"; }

note "what the role wrote"
mode() { stat -c %a "$1"; }
[[ -x "$root/usr/bin/switchyard" ]] || fail "the binary is not installed"
[[ "$(mode "$root/etc/switchyard/switchyard.yml")" == 640 ]] || fail "the config is not mode 0640"
[[ "$(mode "$root/etc/switchyard/switchyard.env")" == 600 ]] || fail "the environment file is not mode 0600"
[[ "$(mode "$root/var/lib/switchyard/jwt-secret")" == 600 ]] || fail "the JWT secret is not mode 0600"
jwt_secret="$(cat "$scratch/controller/jwt-secret")"
[[ "$(cat "$root/var/lib/switchyard/jwt-secret")" == "$jwt_secret" ]] || fail "the host's JWT secret is not the controller's shared one"
grep -q "SWITCHYARD_CREDENTIALS_DEFAULT_PASSWORD=\"$device_password\"" "$root/etc/switchyard/switchyard.env" ||
    fail "the device password is not in the environment file"
SECRETS=("$device_password" "$jwt_secret")
assert_no_secret "the config file" "$root/etc/switchyard/switchyard.yml"
assert_no_secret "the role's output" "$scratch/role-1.log" "$scratch/role-2.log"
cat "$root/etc/switchyard/switchyard.yml"
dropin="$root/etc/systemd/system/switchyard.service.d/ansible.conf"
grep -qx "TimeoutStopSec=80" "$dropin" || fail "TimeoutStopSec is not the grace (20 s) plus the margin (60 s): $(cat "$dropin")"

note "systemd-analyze verify: the package's unit with the role's drop-in"
# The unit and drop-in as installed, with the binary's path in the scratch
# root (verify checks that ExecStart exists), found through SYSTEMD_UNIT_PATH
# before the host's own units (for the targets it depends on).
units="$scratch/units"
mkdir -p "$units/switchyard.service.d"
sed "s#/usr/bin/switchyard#$root/usr/bin/switchyard#g" "$root/lib/systemd/system/switchyard.service" >"$units/switchyard.service"
sed "s#/usr/bin/switchyard#$root/usr/bin/switchyard#g" "$root/etc/systemd/system/switchyard.service.d/ansible.conf" \
    >"$units/switchyard.service.d/ansible.conf"
SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify --man=no switchyard.service >"$scratch/verify.log" 2>&1 ||
    { cat "$scratch/verify.log"; fail "systemd-analyze verify switchyard.service"; }
[[ -s "$scratch/verify.log" ]] && { cat "$scratch/verify.log"; fail "systemd-analyze verify complains"; }
SYSTEMD_UNIT_PATH="$units:" systemd-analyze security --offline=yes --no-pager "$units/switchyard.service" 2>/dev/null |
    tail -1 || true
for setting in ProtectSystem=strict NoNewPrivileges=true ReadWritePaths=/var/lib/switchyard Restart=on-failure; do
    grep -qx "$setting" "$units/switchyard.service" "$units/switchyard.service.d/ansible.conf" ||
        fail "the unit lacks $setting"
done

note "the installed binary starts with the role's config and answers /health"
data="$root/var/lib/switchyard"
# Started as root here, the embedded PostgreSQL runs as "postgres", which must
# traverse the data directory (on a host the service user owns it).
chmod 711 "$data" "$root/var/lib" "$root/var" "$root"
(
    set -a
    # shellcheck disable=SC1091
    source "$root/etc/switchyard/switchyard.env"
    set +a
    exec setsid "$root/usr/bin/switchyard" serve --config "$root/etc/switchyard/switchyard.yml" --data-dir "$data"
) </dev/null >"$scratch/serve.log" 2>&1 &
serve_pid=$!
echo "serve_pid=$serve_pid" >>"$state_file"
proc_wait_until "$data/api-url" "$scratch/serve.log" "$serve_pid" 180 test -s "$data/api-url"
api_url="$(cat "$data/api-url")"
health="$(curl -sS --max-time 10 "$api_url/api/v1.0/health")" || fail "no answer from $api_url/api/v1.0/health"
echo "$health"
[[ "$(jq -r '.data.database' <<<"$health")" == ok ]] || fail "/health: $health"

note "the simulator's devices, imported with groups and types; sim0006 UNMANAGED"
sy() { "$root/usr/bin/switchyard" "$@" --config "$root/etc/switchyard/switchyard.yml" --data-dir "$data"; }
jq '[.[] | . + {groups: (if (.hostname | ltrimstr("sim") | tonumber) <= 3 then ["pod1"] else ["pod2"] end)}
          | if .hostname == "sim0006" then . + {state: "UNMANAGED"} else . end
          | if .hostname == "sim0004" then . + {device_type: "ACCESS"} else . end]' \
    "$scratch/sim/inventory.json" >"$scratch/inventory.json"
sy devices import "$scratch/inventory.json"
token() { sy token --sub ansible-test --role "$1" --ttl 2h; }
read_token="$(token read)"
operator_token="$(token operator)"
admin_token="$(token admin)"
{
    echo "serve_pid=$serve_pid"
    echo "api_url=$api_url"
    echo "data=$data"
    echo "sy_bin=$root/usr/bin/switchyard"
    echo "config=$root/etc/switchyard/switchyard.yml"
    echo "sim_bin=$sim_bin"
    echo "sim_state=$scratch/sim"
    echo "inventory_json=$scratch/inventory.json"
    echo "serve_log=$scratch/serve.log"
    echo "read_token=$read_token"
    echo "operator_token=$operator_token"
    echo "admin_token=$admin_token"
    echo "device_password=$device_password"
    echo "jwt_secret=$jwt_secret"
} >>"$state_file"
echo "serve $api_url (pid $serve_pid) and the simulator (pid $sim_pid) run for the ansible tests"
