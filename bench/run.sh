#!/usr/bin/env bash
# Runs every benchmark built in BUILD (default: build). Not part of `make test`.
set -euo pipefail
build="${1:-build}"
echo "== engine =="
"$build/bin/bench_engine"
echo "== api =="
bash "$(dirname "$0")/api/api_bench.sh" "$build"
echo "== sync =="
bash "$(dirname "$0")/sync/sync_bench.sh" "$build"
echo "== recovery =="
bash "$(dirname "$0")/recovery/recovery_bench.sh" "$build"
if [[ -x "$build/bin/device_text_bench" ]]; then
    echo "== device text =="
    "$build/bin/device_text_bench"
fi
if [[ -x "$build/bin/devices_bench" ]]; then
    echo "== devices =="
    PATH="$build/bin:$PATH" "$build/bin/devices_bench"
fi
