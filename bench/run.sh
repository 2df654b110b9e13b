#!/usr/bin/env bash
# Runs every benchmark built in BUILD (default: build). Not part of `make test`.
# A benchmark that fails (a wrong result; a missed target only prints MISSED)
# does not stop the others: the failures are listed at the end, exit 1.
set -uo pipefail
build="${1:-build}"
here="$(dirname "$0")"
failed=()
run() {
    local name=$1; shift
    echo "== $name =="
    "$@" || failed+=("$name (exit $?)")
}
run engine "$build/bin/bench_engine"
run api bash "$here/api/api_bench.sh" "$build"
run sync bash "$here/sync/sync_bench.sh" "$build"
run recovery bash "$here/recovery/recovery_bench.sh" "$build"
[[ -x "$build/bin/device_text_bench" ]] && run "device text" "$build/bin/device_text_bench"
[[ -x "$build/bin/devices_bench" ]] && run devices env PATH="$build/bin:$PATH" "$build/bin/devices_bench"
[[ -x "$build/bin/replace_bench" ]] && run "live replace" "$build/bin/replace_bench"
if ((${#failed[@]})); then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
