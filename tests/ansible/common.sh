# Shared by the tests of ansible/ and of the Debian package (sourced).
# Every test fails, never skips, when a tool is missing, naming the Debian
# package that brings it (all are in scripts/debian-packages.txt).
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$tests_dir/../.." && pwd)"
collection_dir="$source_dir/ansible"

fail() { echo "$(basename "$0"): FAIL: $*" >&2; exit 1; }
note() { echo "== $*"; }

# require TOOL PACKAGE ...
require() {
    while (($#)); do
        command -v "$1" >/dev/null || fail "'$1' is missing: apt-get install $2 (make deps installs scripts/debian-packages.txt)"
        shift 2
    done
}

# The collection where Ansible looks for it (ansible_collections/NAMESPACE/NAME),
# private settings and cache (no ~/.ansible writes shared with a user or
# another worktree).
use_collection() {  # scratch dir
    local dir="$1"
    mkdir -p "$dir/ansible_collections/switchyard" "$dir/home"
    ln -sfn "$collection_dir" "$dir/ansible_collections/switchyard/switchyard"
    export ANSIBLE_COLLECTIONS_PATH="$dir"
    export ANSIBLE_LOCAL_TEMP="$dir/home/tmp" ANSIBLE_HOME="$dir/home/.ansible"
    export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
    export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
    export XDG_CACHE_HOME="$dir/home/.cache"
}

# The fixture the role test starts and the stop test ends: one serve (the
# package's binary with the role's config) and one simulator for every
# Ansible test. Its state lives in the build tree's ansible-tests/ folder.
service_state() {  # build dir
    state_dir="$1/ansible-tests"
    state_file="$state_dir/service.env"
}

load_service() {  # build dir
    service_state "$1"
    [[ -s "$state_file" ]] || fail "no running service: the ansible_role test starts it (ctest -R 'ansible_' runs it first)"
    # shellcheck disable=SC1090
    source "$state_file"
}

# No secret in the text: the API token, the device password, the JWT secret.
assert_no_secret() {  # what, file...
    local what="$1"
    shift
    local secret
    for secret in "${SECRETS[@]}"; do
        [[ -n "$secret" ]] || continue
        if grep -qF -- "$secret" "$@"; then
            fail "$what shows a secret (one of the test's tokens or passwords) in $*"
        fi
    done
}

# Stops the fixture's serve, then its simulator (by the pids it recorded),
# and removes its scratch directory.
stop_service() {  # build dir
    service_state "$1"
    [[ -s "$state_file" ]] || return 0
    # shellcheck disable=SC1090
    source "$state_file"
    source "$source_dir/scripts/processes.sh"
    local pid
    for pid in "${serve_pid:-}" "${sim_pid:-}"; do
        [[ -n "$pid" ]] && proc_stop_pid "$pid"
    done
    [[ -n "${scratch:-}" && "$scratch" == /tmp/sy-ansible.* ]] && rm -rf "$scratch"
    rm -f "$state_file"
}

# The start of a test on the fixture's service: its state loaded, a fresh
# work directory ($work), the collection in place, and the secrets that no
# output may show ($SECRETS).
open_service_test() {  # build dir, work directory name
    load_service "$1"
    work="$scratch/$2"
    rm -rf "$work"
    mkdir -p "$work"
    use_collection "$scratch/ansible"
    SECRETS=("$read_token" "$operator_token" "$admin_token" "$device_password" "$jwt_secret")
}
