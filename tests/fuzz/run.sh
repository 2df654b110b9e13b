#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for FUZZ_SECONDS
# (default 15). Usage: tests/fuzz/run.sh BUILD_DIR [TARGET...]
#   BUILD_DIR  a configured and built sanitizer build (make build-test: build-test)
#   TARGET     jobs_query | api (default: both)
# A longer run by hand, e.g. ten million requests through the whole API:
#   FUZZ_RUNS=10000000 FUZZ_SECONDS=0 tests/fuzz/run.sh build-test api
#
# api_fuzz takes every route's path (tests/fuzz/api_fuzz.cpp): it compiles
# service/api with clang (coverage, ASan, UBSan) using the flags the build
# used for it (compile_commands.json), and links the layers below (store,
# engine, devices, tasks ...) from BUILD_DIR's libraries, built by GCC with
# ASan and UBSan too: both compilers emit calls to the same sanitizer
# interface, and clang's runtime serves them all.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:?usage: run.sh BUILD_DIR [TARGET...]}" && pwd)"
shift
targets=("${@:-jobs_query api}")
read -r -a targets <<<"${targets[*]}"
out="$build/fuzz"
seconds="${FUZZ_SECONDS:-15}"
runs="${FUZZ_RUNS:--1}"
for tool in clang++ jq; do
    if ! command -v $tool >/dev/null; then
        echo "FAIL: $tool is needed for the fuzz targets: apt-get install clang libclang-rt-14-dev jq (make deps does)" >&2
        exit 1
    fi
done
mkdir -p "$out/obj"
ccache=""
command -v ccache >/dev/null && ccache=ccache
sanitize=(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

# The -D, -I and -isystem flags the build compiled FILE with.
build_flags() {
    local file="$1" cmd
    cmd="$(jq -r --arg f "$file" '.[] | select(.file == $f) | .command' "$build/compile_commands.json")"
    [[ -n "$cmd" ]] || { echo "FAIL: $file is not in $build/compile_commands.json (build it first)" >&2; exit 1; }
    read -r -a words <<<"$cmd"
    local i
    for ((i = 0; i < ${#words[@]}; i++)); do
        case "${words[i]}" in
            -D* | -I?*) printf '%s\n' "${words[i]}" ;;
            -isystem) printf '%s\n%s\n' -isystem "${words[i + 1]}" ;;
        esac
    done
}

# Compiles SOURCE to OBJECT with clang when the source is newer.
compile() {
    local source="$1" object="$2"
    shift 2
    $ccache clang++ -std=c++20 -g -O1 "${sanitize[@]}" "$@" -c "$source" -o "$object"
}

run_target() {  # name, binary, corpus dir, extra libFuzzer flags...
    local name="$1" binary="$2" seeds="$3"
    shift 3
    local corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
    echo "== $name: ${seconds}s / $runs runs"
    "$binary" -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 "$@" "$corpus" 2>&1 | tail -14
    return "${PIPESTATUS[0]}"
}

for target in "${targets[@]}"; do
    case "$target" in
        jobs_query)
            clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -I"$root/service" -I"$root" \
                "$root/tests/fuzz/jobs_query_fuzz.cpp" "$root/service/api/jobs_query.cpp" "$root/service/engine/job_status.cpp" "$root/service/api/time_filter.cpp" -o "$out/jobs_query_fuzz"
            run_target jobs_query "$out/jobs_query_fuzz" "$root/tests/fuzz/corpus/jobs_query" -max_len=512
            ;;
        api)
            mapfile -t flags < <(build_flags "$root/service/api/router.cpp")
            objects=()
            for source in "$root"/service/api/*.cpp; do
                case "$(basename "$source")" in
                    # The socket side: the target replaces it.
                    http_server.cpp | api_server.cpp | worker_pool.cpp) continue ;;
                esac
                object="$out/obj/$(basename "$source" .cpp).o"
                mapfile -t own < <(build_flags "$source")
                compile "$source" "$object" "${own[@]}"
                objects+=("$object")
            done
            compile "$root/tests/fuzz/api_fuzz.cpp" "$out/obj/api_fuzz.o" "${flags[@]}" -I"$root/tests"
            # The libraries below the API, in the order the API's own test links them.
            link_txt="$build/tests/service/CMakeFiles/test_api.dir/link.txt"
            [[ -f "$link_txt" ]] || { echo "FAIL: $link_txt missing (build test_api first)" >&2; exit 1; }
            libs=()
            read -r -a words <"$link_txt"
            for word in "${words[@]}"; do
                case "$word" in
                    *libsy_api.a | *libcpp-httplib.so) ;;
                    *lsan_suppressions.cpp.o) libs+=("$(cd "$build/tests/service" && realpath "$word")") ;;
                    *.a | *.so | *.so.*) libs+=("$(cd "$build/tests/service" && realpath "$word")") ;;
                esac
            done
            clang++ -fsanitize=fuzzer,address,undefined "${objects[@]}" "$out/obj/api_fuzz.o" "${libs[@]}" \
                -lpthread -o "$out/api_fuzz"
            run_target api "$out/api_fuzz" "$root/tests/fuzz/corpus/api" -max_len=4096 -timeout=30 \
                -dict="$root/tests/fuzz/api.dict"
            ;;
        *) echo "unknown fuzz target '$target' (jobs_query, api)" >&2; exit 2 ;;
    esac
done
