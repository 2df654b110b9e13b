#!/usr/bin/env bash
# Runs every benchmark built in BUILD (default: build). Not part of `make test`.
set -euo pipefail
build="${1:-build}"
echo "== engine =="
"$build/bin/bench_engine"
if [[ -x "$build/bin/bench_devices" ]]; then
    echo "== devices =="
    "$build/bin/bench_devices"
fi
