#!/usr/bin/env bash
# ansible-doc renders every module, the inventory plugin and the role, each
# with its options and examples; none is missing from the listing.
source "$(dirname "$0")/common.sh"
require ansible-doc ansible
scratch="$(mktemp -d /tmp/sy-ansible-doc.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
use_collection "$scratch"

check_doc() {  # type, name, words that must be in the page...
    local type="$1" name="$2" out="$scratch/doc.txt"
    shift 2
    ansible-doc -t "$type" "$name" >"$out" 2>&1 || { cat "$out"; fail "ansible-doc -t $type $name"; }
    grep -q "ERROR\|WARNING" "$out" && { cat "$out"; fail "ansible-doc -t $type $name warns"; }
    for word in "$@"; do grep -qF -- "$word" "$out" || { cat "$out"; fail "ansible-doc $name does not show '$word'"; }; done
    echo "ansible-doc -t $type $name: $(wc -l <"$out") lines"
}

modules=(device_syncto job_info job_wait joblock)
listed="$(ansible-doc -t module -l switchyard.switchyard 2>&1)"
for m in "${modules[@]}"; do
    grep -q "^switchyard.switchyard.$m " <<<"$listed" || fail "ansible-doc -l does not list $m: $listed"
done
[[ "$(grep -c '^switchyard\.switchyard\.' <<<"$listed")" == "${#modules[@]}" ]] || fail "a module is not tested here: $listed"

check_doc module switchyard.switchyard.device_syncto "idempotency_key" "confirm_mode" "EXAMPLES" "RETURN VALUES" "token"
check_doc module switchyard.switchyard.job_info "job_id" "EXAMPLES" "RETURN VALUES"
check_doc module switchyard.switchyard.job_wait "follow_next" "EXAMPLES" "RETURN VALUES"
check_doc module switchyard.switchyard.joblock "force" "EXAMPLES" "RETURN VALUES"
check_doc inventory switchyard.switchyard.inventory "SWITCHYARD_TOKEN" "keyed_groups" "cache_plugin" "EXAMPLES"
check_doc role switchyard.switchyard.deploy "switchyard_root" "switchyard_jwt_secret"
echo "ansible-doc rendered ${#modules[@]} modules, the inventory plugin and the role"
