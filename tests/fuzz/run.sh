#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for FUZZ_SECONDS
# (default 15; run longer by hand: FUZZ_SECONDS=600 tests/fuzz/run.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-15}"
if ! command -v clang++ >/dev/null; then
    echo "FAIL: clang++ is needed for the fuzz targets: apt-get install clang libclang-rt-14-dev (make deps does)" >&2
    exit 1
fi
mkdir -p "$out"
clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root/service" -I"$root" \
    "$root/tests/fuzz/jobs_query_fuzz.cpp" "$root/service/api/jobs_query.cpp" "$root/service/engine/job_status.cpp" "$root/service/api/time_filter.cpp" -o "$out/jobs_query_fuzz"
corpus="$out/corpus-jobs_query"
mkdir -p "$corpus"
cp -n "$root"/tests/fuzz/corpus/jobs_query/* "$corpus"/ 2>/dev/null || true
"$out/jobs_query_fuzz" -max_total_time="$seconds" -max_len=512 -print_final_stats=1 "$corpus" 2>&1 | tail -12
