# Checks for the CLI tests' shell scripts (sourced). Each check prints one
# "ok"/"not ok" line; `finish` prints the count and exits 1 if any failed, so
# CTest reports the script as failed with every failing check named.
#
#   check "what it shows" COMMAND ARGS...   # passes when COMMAND exits 0
#   fail "why"                              # stops the script now (a prerequisite)
#   show_on_failure FILE                    # printed at the end if a check failed

checks_run=0
checks_failed=0
failure_logs=()

check() {
    local what=$1
    shift
    checks_run=$((checks_run + 1))
    if "$@"; then
        echo "ok $checks_run - $what"
    else
        checks_failed=$((checks_failed + 1))
        echo "not ok $checks_run - $what"
    fi
}

show_on_failure() { failure_logs+=("$1"); }

dump_failure_logs() {
    local f
    for f in "${failure_logs[@]}"; do
        [ -f "$f" ] || continue
        echo "--- $f (last 200 lines)"
        tail -n 200 "$f"
    done
}

fail() {
    echo "FAIL: $*" >&2
    dump_failure_logs
    exit 1
}

finish() {
    echo "$checks_run checks, $checks_failed failed"
    if [ "$checks_failed" -gt 0 ]; then
        dump_failure_logs
        exit 1
    fi
    exit 0
}
