#!/usr/bin/env bash
# ansible-lint passes on the collection (production profile, offline), and
# its playbooks pass Ansible's own syntax check.
source "$(dirname "$0")/common.sh"
require ansible-lint ansible-lint ansible-playbook ansible
scratch="$(mktemp -d /tmp/sy-ansible-lint.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
use_collection "$scratch"
cd "$collection_dir"
ansible-lint --offline --profile production --nocolor || fail "ansible-lint found problems in ansible/"
for playbook in playbooks/*.yml; do
    ansible-playbook --syntax-check -i localhost, "$playbook" 2>&1 >/dev/null || fail "$playbook: syntax"
done
echo "ansible-lint and syntax checks passed"
