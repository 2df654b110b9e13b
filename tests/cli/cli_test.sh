#!/usr/bin/env bash
# cli_test.sh SWITCHYARD SWITCHYARD_SIM: every command the README shows, run
# as an operator would against a real `switchyard serve` on its embedded
# PostgreSQL, with the device simulator (tests/sim) for the device commands:
#   config show (file < environment < flags, secrets masked) and config
#   errors naming file, line and key; db migrate; token; jobs
#   enqueue|list|show|abort|retry|types; schedules add|list|disable|enable|
#   delete; jobs show --follow until a job ends, and the
#   /events?job_id=N stream it follows; lock events (switchyard_lock_events)
#   on /events; locks list|clear; the per-queue concurrency cap;
#   --api-url/--token and SWITCHYARD_API_URL/SWITCHYARD_TOKEN;
#   devices import|list|fetch|sync|backup|history|config|diff|restore, render; devices
#   host-keys list|forget and host_keys events on /events; /metrics.
# Each check prints "ok"/"not ok"; the script fails if any did.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SY=${1:?usage: cli_test.sh SWITCHYARD SWITCHYARD_SIM}
SIM=${2:?usage: cli_test.sh SWITCHYARD SWITCHYARD_SIM}
source "$here/check.sh"
source "$root/scripts/processes.sh"
for tool in curl jq pgrep; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install -y curl jq procps"
done

work=$(mktemp -d /tmp/sy-cli-test-XXXXXX)
chmod 711 "$work"  # the embedded PostgreSQL runs as another user when we are root
data="$work/data"
cleanup() { proc_stop_all; rm -rf "$work"; }
trap cleanup EXIT
# No setting leaks in from the caller's environment.
while read -r name; do unset "$name"; done < <(env | awk -F= '/^SWITCHYARD_/ {print $1}')

# --- helpers -------------------------------------------------------------------
# run NAME COMMAND...: stdout in NAME.out, stderr in NAME.err, exit status in NAME.rc.
run() {
    local name=$1
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err"
    local rc=$?
    echo $rc >"$work/$name.rc"
    [ $rc = 0 ] || show_on_failure "$work/$name.err"
}
out() { cat "$work/$1.out"; }
succeeded() { [ "$(cat "$work/$1.rc")" = 0 ]; }
has() { grep -qE -- "$2" "$work/$1.out"; }                 # NAME REGEX: stdout has it
lacks() { ! grep -q -- "$2" "$work/$1.out" "$work/$1.err"; }  # NAME TEXT: neither stdout nor stderr has it
# NAME REGEX...: it failed, and its stderr matches every REGEX (case-insensitive).
failed_saying() {
    local name=$1
    shift
    succeeded "$name" && return 1
    local r
    for r in "$@"; do grep -qiE -- "$r" "$work/$name.err" || return 1; done
}
# wait_until SECONDS COMMAND...: true once COMMAND succeeds within SECONDS.
wait_until() {
    local until=$((SECONDS + $1))
    shift
    while ! "$@"; do
        [ $SECONDS -ge $until ] && return 1
        sleep 0.2
    done
}
sy() { "$SY" "$@" --data-dir "$data"; }
job_json() { sy jobs show "$1" --json; }
status_of() { job_json "$1" | jq -r .status; }
job_is() { [ "$(status_of "$1")" = "$2" ]; }
count_in_state() { sy jobs list --status "$1" --json | jq '.jobs | length'; }
running_is() { [ "$(count_in_state RUNNING)" = "$1" ]; }
holds_lock() { sy locks list --json | jq -e --arg n "$1" --argjson id "$2" '.locks | any(.name == $n and .job_id == $id)' >/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }
get() { curl -s -H "Authorization: Bearer $reader" "$api/api/v1.0/$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
metric() { get metrics | awk -v m="$1" '$1 == m {print $2}'; }
subscribed() { grep -q ': subscribed' "$work/$1"; }
# events FILE KIND: the "data:" documents of that kind (jobs, locks), one JSON per line.
events() { awk -v k="event: $2" '$0 == k {take = 1; next} take && sub(/^data: /, "") {print; take = 0}' "$work/$1"; }
job_states() { events "$1" jobs | jq -r --argjson id "$2" '.jobs[] | select(.id == $id) | .status' | sort -u | tr '\n' ' '; }
# json_ok FILE FILTER: FILTER holds for the JSON in FILE (in the work directory).
json_ok() { jq -e "$2" "$work/$1" >/dev/null; }
# jobs list: a row of job ID in STATE
listed() { grep -qE "^$2 +[a-z_]+ +$3 " "$work/$1.out"; }

# --- settings ------------------------------------------------------------------
echo "# settings: defaults < config file < environment < flags; secrets masked; errors name file, line and key"
printf 'jobs:\n  claim_batch: 150\n  poll_interval_ms: 900\n' >"$work/good.yml"
run show_file "$SY" config show --config "$work/good.yml" --data-dir "$data"
check "config show: a value from the file" has show_file "claim_batch: 150"
run show_env env SWITCHYARD_JOBS_CLAIM_BATCH=200 "$SY" config show --config "$work/good.yml" --data-dir "$data"
check "config show: the environment overrides the file" has show_env "claim_batch: 200"
check "config show: what the environment leaves alone stays from the file" has show_env "poll_interval_ms: 900"
run show_flag env SWITCHYARD_JOBS_CLAIM_BATCH=200 "$SY" config show --config "$work/good.yml" \
    --set jobs.claim_batch=300 --data-dir "$data"
check "config show: --set overrides the environment" has show_flag "claim_batch: 300"
run show_secrets env SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME=netops SWITCHYARD_CREDENTIALS_DEFAULT_PASSWORD=pw-Secret-4711 \
    "$SY" config show --database-url "postgresql://sy:db-Secret-0815@db.example/switchyard" --data-dir "$data"
check "config show: exits 0" succeeded show_secrets
check "config show: the login's user name from the environment is shown" has show_secrets "netops"
check "config show: the device password is masked" lacks show_secrets "pw-Secret-4711"
check "config show: the database password is masked" lacks show_secrets "db-Secret-0815"
check "config show: masked values say so" has show_secrets '\*\*\*\*'
run show_db_env env SWITCHYARD_DATABASE_URL="postgresql://sy:env-Secret-42@db.example/switchyard" \
    "$SY" config show --data-dir "$data"
check "config show: SWITCHYARD_DATABASE_URL is the database, its password masked" \
    eval "has show_db_env 'db\.example/switchyard' && lacks show_db_env env-Secret-42"

printf 'jobs:\n  claim_batch: 10\n  no_such_key: 1\n' >"$work/unknown.yml"
run bad_key "$SY" config show --config "$work/unknown.yml" --data-dir "$data"
check "an unknown key fails, naming file, line and key" \
    failed_saying bad_key "$work/unknown.yml" "line 3" "no_such_key"
printf '# batch size\njobs:\n  claim_batch: 0\n' >"$work/range.yml"
run bad_range "$SY" config show --config "$work/range.yml" --data-dir "$data"
check "an out-of-range value fails, naming file, line and key" \
    failed_saying bad_range "$work/range.yml" "line 3" "claim_batch"
run bad_env env SWITCHYARD_JOBS_CLAIM_BATCH=many "$SY" config show --data-dir "$data"
check "a bad value in the environment fails, naming the setting" failed_saying bad_env "claim_batch"

# --- db migrate, then serve ----------------------------------------------------
echo "# db migrate on a new data directory, then serve on it"
run migrate sy db migrate
check "db migrate: exits 0" succeeded migrate
check "db migrate: applies the first migration" has migrate "^applied .*0086_baseline\.sql$"
check "db migrate: says the schema version" has migrate "^schema at version [0-9]+$"
run migrate_again sy db migrate
check "db migrate again: nothing to do" has migrate_again "\(nothing to do\)"

# The simulator's login, and a cap of 2 jobs at once on the default queue,
# from the environment.
export SWITCHYARD_CREDENTIALS_DEFAULT_USERNAME=admin SWITCHYARD_CREDENTIALS_DEFAULT_PASSWORD=admin
SWITCHYARD_JOBS_QUEUES=default=2 proc_start_serve "$SY" "$data" "$work/serve.log" || fail "serve did not start"
show_on_failure "$work/serve.log"
api="$api_url"
check "serve writes its address to DATA_DIR/api-url" grep -qE '^http://127\.0\.0\.1:[0-9]+$' "$data/api-url"
run migrate_busy sy db migrate
check "db migrate is refused while serve holds the data directory" failed_saying migrate_busy "in use|serve"

# --- tokens and the API --------------------------------------------------------
echo "# token, and the API it opens"
operator=$(sy token --sub alice --role operator --ttl 8h)
reader=$(sy token --sub rita --role read --ttl 1h)
check "token prints a JWT" grep -qE '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' <<<"$operator"
check "GET /jobs with the token: 200" test "$(code -H "Authorization: Bearer $operator" "$api/api/v1.0/jobs")" = 200
check "GET /jobs without a token: 401" test "$(code "$api/api/v1.0/jobs")" = 401
check "GET /health needs none: 200" test "$(code "$api/api/v1.0/health")" = 200
# The version is written once (CMakeLists.txt's project()); both show it.
version=${PROJECT_VERSION:?the ctest sets PROJECT_VERSION (CMakeLists.txt project())}
check "switchyard --version is the project's version" test "$("$SY" --version)" = "switchyard $version"
check "GET /health says the project's version" \
    test "$(curl -s "$api/api/v1.0/health" | jq -r .data.version)" = "$version"
check "a read token may not abort: 403" \
    test "$(code -X PUT -H "Authorization: Bearer $reader" -H 'Content-Type: application/json' \
                 -d '{"action":"ABORT"}' "$api/api/v1.0/job/1")" = 403

# Two event streams, open before the jobs below exist: every event, and only
# those of the next job (sleep_job below).
curl -sN --max-time 600 -H "Authorization: Bearer $reader" "$api/api/v1.0/events" >"$work/events_all.txt" &
proc_track $!
sleep_job=$(( $(get "jobs?sort=-id&per_page=1" | jq '.data.jobs[0].id // 0') + 1 ))
curl -sN --max-time 600 -H "Authorization: Bearer $reader" "$api/api/v1.0/events?job_id=$sleep_job" >"$work/events_one.txt" &
proc_track $!
check "both event streams are open" wait_until 30 eval "subscribed events_all.txt && subscribed events_one.txt"

# --- jobs ----------------------------------------------------------------------
echo "# jobs enqueue|list|show|abort, show --follow, locks"
# 30 s: long enough that the lock checks below still find it held when each
# CLI call takes seconds (a loaded 2-core machine running the ASan build).
run enq_sleep sy jobs enqueue sleep --args '{"seconds": 30, "lock": "devices"}' --in 3
check "jobs enqueue prints the new job's id" test "$(out enq_sleep)" = "$sleep_job"
run enq_nightly sy jobs enqueue noop --in 3600 --priority 1 --key nightly-2026-11-23 --max-attempts 3 --timeout 30
nightly=$(out enq_nightly)
run enq_again sy jobs enqueue noop --in 3600 --priority 1 --key nightly-2026-11-23 --max-attempts 3 --timeout 30
check "the same idempotency key returns the first job" test "$(out enq_again)" = "$nightly"
check "... and says so" grep -q "exists already" "$work/enq_again.err"

run show_nightly sy jobs show "$nightly" --json
check "jobs show --json: SCHEDULED, priority 1, 3 attempts, 30 s timeout, the key" \
    json_ok show_nightly.out '.status == "SCHEDULED" and .function_name == "noop" and .priority == 1 and .max_attempts == 3
           and .timeout_seconds == 30 and .idempotency_key == "nightly-2026-11-23"'
# An hour, not a minute: it must still be SCHEDULED when it is aborted below,
# however slowly the checks in between run.
check "jobs show --json: --in 3600 put it about an hour ahead" \
    json_ok show_nightly.out '((.scheduled_time | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601)
            - (.created_time | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601)) | . >= 3599 and . <= 3601'
run show_plain sy jobs show "$nightly"
check "jobs show: the job as fields" eval "grep -qx 'status: SCHEDULED' '$work/show_plain.out' && grep -qx 'function_name: noop' '$work/show_plain.out'"

# Followed from before it starts until it ends: the follower may not return
# before the job is FINISHED (it prints the job once it ends). While it waits
# it holds an event stream of its own (/events?job_id=N).
streams_before=$(metric switchyard_event_streams)
sy jobs show "$sleep_job" --follow >"$work/follow.out" 2>"$work/follow.err" &
follower=$!
proc_track $follower
check "jobs show --follow listens on an event stream of its own" \
    wait_until 30 eval '[ "$(metric switchyard_event_streams)" = $((streams_before + 1)) ]'
check "the sleep job starts and takes the lock 'devices'" wait_until 60 holds_lock devices "$sleep_job"
run locks_held sy locks list
check "locks list: devices, held by the sleep job" has locks_held "^devices +$sleep_job "
check "/metrics: how long the lock has been held" eval 'get metrics | grep -q "^switchyard_lock_held_seconds.*devices"'
run noop_during sy jobs enqueue noop
other_job=$(out noop_during)
check "the follower ends when the job does" wait_until 90 gone "$follower"
wait "$follower"
check "jobs show --follow exits 0" test "$?" = 0
check "... and prints the job FINISHED" grep -qx "status: FINISHED" "$work/follow.out"
check "... after a progress bar that ends FINISHED" grep -q "FINISHED" "$work/follow.err"
run locks_free sy locks list
check "the job's end freed its lock" has locks_free "^no locks held$"
check "the other job ran too" wait_until 30 job_is "$other_job" FINISHED

check "/events?job_id=N: the job's SCHEDULED, RUNNING and FINISHED" \
    test "$(job_states events_one.txt "$sleep_job")" = "FINISHED RUNNING SCHEDULED "
check "/events?job_id=N: nothing of any other job" \
    test "$(events events_one.txt jobs | jq --argjson id "$sleep_job" '.jobs[] | select(.id != $id) | .id' | wc -l)" = 0
check "/events?job_id=N: no lock events" test "$(events events_one.txt locks | wc -l)" = 0
check "/events: the other job's events too" test "$(job_states events_all.txt "$other_job")" = "FINISHED RUNNING SCHEDULED "
check "/events: the lock 'devices' acquired and released (switchyard_lock_events)" \
    test "$(events events_all.txt locks | jq -r --argjson id "$sleep_job" \
                '.locks[] | select(.name == "devices" and .job_id == $id) | .event' | sort -u | tr '\n' ' ')" = "acquired released "

run abort_scheduled sy jobs abort "$nightly" --reason "change window closed"
check "jobs abort of a SCHEDULED job exits 0" succeeded abort_scheduled
run show_aborted sy jobs show "$nightly" --json
check "... it is ABORTED at once, with the reason" \
    json_ok show_aborted.out '.status == "ABORTED" and .result.message == "Job aborted: change window closed"'

run list_all sy jobs list
check "jobs list: newest first" test "$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ {print $1; exit}' "$work/list_all.out")" = "$other_job"
check "jobs list: the aborted job's row" listed list_all "$nightly" ABORTED
check "jobs list: the finished sleep's row" listed list_all "$sleep_job" FINISHED
check "jobs list: how many are shown of how many" has list_all "^\([0-9]+ of [0-9]+ jobs shown\)$"
run list_status sy jobs list --status ABORTED --json
check "jobs list --status --json: only that state" \
    json_ok list_status.out '(.jobs | length) >= 1 and all(.jobs[]; .status == "ABORTED")'

# --- retry, job types, schedules ----------------------------------------------
echo "# jobs retry|types; schedules add|list|disable|enable|delete"
run retry sy jobs retry "$nightly"
retried=$(out retry)
check "jobs retry prints the new job's id" grep -qE '^[0-9]+$' "$work/retry.out"
check "... a new noop linked to the aborted one, which runs" wait_until 30 job_is "$retried" FINISHED
run show_retried sy jobs show "$retried" --json
check "... retry_of names the aborted job" json_ok show_retried.out ".retry_of == $nightly and .function_name == \"noop\""
run retry_again sy jobs retry "$nightly"
check "jobs retry of a job retried already fails, naming the retry" failed_saying retry_again "retried already as job $retried"
run types sy jobs types
check "jobs types: every kind with what it does" eval "has types '^noop$' && has types '^sleep_idempotent$' && has types 'locks: '"
run sched_add sy schedules add every-minute noop --every 60 --missed skip
sched=$(out sched_add)
check "schedules add prints the new schedule's id" grep -qE '^[0-9]+$' "$work/sched_add.out"
run sched_cron sy schedules add nightly-noop noop --cron "0 2 * * *" --tz Europe/Stockholm --disabled
check "schedules add --cron --tz --disabled" succeeded sched_cron
run sched_bad sy schedules add bad noop --cron "0 25 * * *"
check "a bad cron expression is refused, naming the field" failed_saying sched_bad "hour field"
run sched_list sy schedules list
check "schedules list: both, with timing and state" \
    eval "has sched_list '^$sched +every-minute +noop +every 60 s +yes +skip ' && has sched_list ' nightly-noop +noop +0 2 \* \* \* Europe/Stockholm +no '"
run sched_disable sy schedules disable "$sched"
check "schedules disable" has sched_disable "^schedule every-minute \($sched\) disabled$"
run sched_enable sy schedules enable "$sched"
check "schedules enable says the next run" has sched_enable "^schedule every-minute \($sched\) enabled; next run at "
run sched_delete sy schedules delete "$sched"
check "schedules delete" has sched_delete "^schedule $sched deleted$"
run sched_list2 sy schedules list --json
check "... it is gone from the list" json_ok sched_list2.out '[.schedules[].name] == ["nightly-noop"]'

# --- the per-queue concurrency cap (2, from SWITCHYARD_JOBS_QUEUES) ----------
echo "# at most jobs.queues.default = 2 jobs of the queue at once (in one serve process)"
capped=()
# Long sleeps, with a timeout past them (aborted below): a loaded machine once
# took so long over these checks that 120 s sleeps ended and the third ran.
for n in 1 2 3; do capped+=("$(sy jobs enqueue sleep --timeout 1800 --args "{\"seconds\": 900, \"lock\": \"cap$n\"}")"); done
check "two of the three start" wait_until 60 running_is 2
# The third is due and its insert woke the workers: with a free slot it would
# run within a poll interval (1 s). Watched for 3 s, it must not.
over=0
for _ in $(seq 15); do [ "$(count_in_state RUNNING)" -le 2 ] || over=1; sleep 0.2; done
check "the third waits while two run" test "$over" = 0
third=$(sy jobs list --status SCHEDULED --json | jq -r --argjson ids "[$(IFS=,; echo "${capped[*]}")]" \
          '[.jobs[] | select(.id as $i | $ids | index($i))] | if length == 1 then .[0].id else "none" end')
check "... it is SCHEDULED" test "$third" != none
first_running=$(sy jobs list --status RUNNING --json | jq '.jobs[0].id')

# Abort of a RUNNING job: ABORTING, then ABORTED at the task's next check;
# its slot goes to the third.
run abort_running sy jobs abort "$first_running" --reason "making room"
check "jobs abort of a RUNNING job exits 0" succeeded abort_running
run follow_aborted sy jobs show "$first_running" --follow
check "... the follower sees it end ABORTED" grep -qx "status: ABORTED" "$work/follow_aborted.out"
check "... and the third starts in its slot" wait_until 60 job_is "$third" RUNNING

# locks clear: by hand, here for the lock of a job still running.
third_lock=$(job_json "$third" | jq -r '.start_arguments.lock')
check "the third holds its lock" wait_until 30 holds_lock "$third_lock" "$third"
run clear sy locks clear "$third_lock"
check "locks clear names the lock and its job" has clear "^cleared lock '$third_lock' \(held by job $third\)$"
check "the cleared lock is gone" eval "! holds_lock '$third_lock' '$third'"
for id in "${capped[@]}"; do sy jobs abort "$id" --reason "test over" >/dev/null 2>&1; done
check "no capped job is left running" wait_until 60 running_is 0

# --- reaching the API from elsewhere: --api-url/--token and the environment --
echo "# --api-url and --token, SWITCHYARD_API_URL and SWITCHYARD_TOKEN"
elsewhere="$work/elsewhere"  # a data directory no serve uses: no address or secret to find there
mkdir -p "$elsewhere"
run no_api "$SY" jobs list --data-dir "$elsewhere"
check "without them, a client away from serve says the API is not known" failed_saying no_api "api"
run flags "$SY" jobs list --api-url "$api" --token "$reader" --data-dir "$elsewhere"
check "--api-url and --token reach the API" listed flags "$nightly" ABORTED
run from_env env SWITCHYARD_API_URL="$api" SWITCHYARD_TOKEN="$reader" "$SY" jobs list --data-dir "$elsewhere"
check "SWITCHYARD_API_URL and SWITCHYARD_TOKEN reach the API" listed from_env "$nightly" ABORTED
run bad_token "$SY" jobs list --api-url "$api" --token "not.a.token" --data-dir "$elsewhere"
check "a bad token is refused, and the CLI says so" failed_saying bad_token "token|401|auth"
run reader_abort env SWITCHYARD_API_URL="$api" SWITCHYARD_TOKEN="$reader" "$SY" jobs abort "$sleep_job" --data-dir "$elsewhere"
check "a read token cannot abort through the CLI either" failed_saying reader_abort "operator|403|role|forbidden"

# --- devices -------------------------------------------------------------------
echo "# devices import|list|fetch|sync|history|config|diff, render (simulator: frr, eos, junos)"
sim_port=$(proc_free_port_range 3) || fail "no free ports for the simulator"
"$SIM" --state-dir "$work/sim" --devices 3 --base-port "$sim_port" --platforms frr,eos,junos --latency-ms 5 \
    >"$work/sim.log" 2>&1 &
proc_track $!
proc_wait_for_line "$work/sim.log" "switchyard-sim ready" $! 120 || fail "the simulator did not start"

printf -- '- {hostname: good1, management_ip: 192.0.2.1, platform: frr}\n- {hostname: bad1, management_ip: 192.0.2.2, platform: cisco}\n' \
    >"$work/bad-inventory.yml"
run import_bad sy devices import "$work/bad-inventory.yml"
check "devices import of a bad entry fails, naming the entry and its field" failed_saying import_bad "bad1|entry 2|#2" "platform"
run list_empty sy devices list
check "... all or nothing: no device was imported" has list_empty "^\(0 devices\)$"
run import sy devices import "$work/sim/inventory.json"
check "devices import" has import "^imported 3 device\(s\) from .*: 3 new, 0 updated$"
run devlist sy devices list
# devices list columns: HOSTNAME MANAGEMENT_IP PORT PLATFORM TYPE STATE SYNC GROUPS
in_sync() { awk -v s="$2" '$1 ~ /^sim000[123]$/ && $6 == "MANAGED" && $7 == s' "$work/$1.out" | wc -l; }
check "devices list: the three, managed, not yet in sync" test "$(in_sync devlist no)" = 3
run fetch sy devices fetch sim0001 sim0002
check "devices fetch: both running configs" \
    eval "has fetch '^### sim0001 \(' && has fetch '^### sim0002 \(' && has fetch '^hostname sim0002'"
run fetch_unknown sy devices fetch nosuchdevice
check "devices fetch of an unknown device fails, naming it" failed_saying fetch_unknown "nosuchdevice"
run render sy render sim0001
check "render: the config Switchyard would push" eval "succeeded render && has render '^hostname sim0001$'"

# follow_job NAME ID: jobs show ID --follow into NAME.out; the job as JSON in NAME.json.
follow_job() {
    run "$1" sy jobs show "$2" --follow
    job_json "$2" >"$work/$1.json"
}
run dry sy devices sync --all
follow_job dry_follow "$(out dry)"
check "devices sync --all: a dry run, FINISHED" \
    json_ok dry_follow.json '.status == "FINISHED" and .function_name == "sync_devices (dry_run)"'
check "... followed to its end: one line per device" test "$(grep -cE '^sim000[123] +ok ' "$work/dry_follow.out")" = 3
check "... each device with a diff" \
    json_ok dry_follow.json '[.result.devices[] | .job_tasks[] | select(.task_name == "Sync device config") | .diff | length > 0] | length == 3 and all'

run live sy devices sync --hostname sim0001 --live --confirm-mode 0
follow_job live_follow "$(out live)"
check "devices sync --hostname --live: FINISHED, the device committed" \
    json_ok live_follow.json '.status == "FINISHED" and .function_name == "sync_devices" and .result.devices.sim0001.failed == false
           and (.result.devices | length) == 1'
check "... jobs show printed its line" grep -qE "^sim0001 +ok .* committed$" "$work/live_follow.out"

run history sy devices history sim0001
check "devices history: the live sync's read and push" \
    eval "has history '^[0-9]+ .* read ' && has history '^[0-9]+ .* pushed '"
run history_json sy devices history sim0001 --json
pushed_id=$(jq '[.[] | select(.source == "pushed")][0].id' "$work/history_json.out")
read_id=$(jq '[.[] | select(.source == "read")][0].id' "$work/history_json.out")
check "devices history --json: records with ids" eval "[ '$pushed_id' != null ] && [ '$read_id' != null ]"
run config_newest sy devices config sim0001
check "devices config: the newest, as pushed" has config_newest '^hostname sim0001$'
run config_read sy devices config sim0001 --id "$read_id"
check "devices config --id: the config read before the push" eval "succeeded config_read && has config_read '^hostname sim0001$'"
check "... which differs from the pushed one" eval "! cmp -s '$work/config_newest.out' '$work/config_read.out'"
run diff sy devices diff sim0001
check "devices diff: the push against the config before it" \
    eval "has diff '^--- sim0001 config $read_id ' && has diff '^\+\+\+ sim0001 config $pushed_id '"
run diff_ids sy devices diff sim0001 --id "$read_id" --against "$pushed_id"
check "devices diff --id --against: the other way round" \
    eval "has diff_ids '^--- sim0001 config $pushed_id ' && has diff_ids '^\+\+\+ sim0001 config $read_id '"

# Without --resync: the two devices not yet in sync.
run confirm2 sy devices sync --all --live --confirm-mode 2
follow_job confirm2_follow "$(out confirm2)"
check "devices sync --live --confirm-mode 2: FINISHED with a next job" \
    json_ok confirm2_follow.json '.status == "FINISHED" and (.next_job_id | type) == "number"
                                  and (.result.devices | keys) == ["sim0002", "sim0003"]'
follow_job confirm_job "$(jq '.next_job_id' "$work/confirm2_follow.json")"
check "... the confirm_devices job confirms both" \
    json_ok confirm_job.json '.status == "FINISHED" and .function_name == "confirm_devices"
                              and (.result.devices | keys) == ["sim0002", "sim0003"]
                              and ([.result.devices[] | .failed] | all(. == false))'
check "... jobs show prints its devices" eval "succeeded confirm_job && [ \$(grep -cE '^sim000[23] +ok .*confirmed' '$work/confirm_job.out') = 2 ]"
run synced sy devices list
check "... and every device is in sync" test "$(in_sync synced yes)" = 3

run aon_refused sy devices sync --all --live --confirm-mode 0 --confirm-all-or-nothing
check "devices sync --confirm-all-or-nothing without --confirm-mode 2: refused, naming the field" \
    failed_saying aon_refused "confirm_all_or_nothing" "confirm_mode 2"
run aon sy devices sync --hostname sim0001 --confirm-mode 2 --confirm-all-or-nothing
follow_job aon_follow "$(out aon)"
check "devices sync --confirm-mode 2 --confirm-all-or-nothing: the job holds both" \
    json_ok aon_follow.json '.status == "FINISHED" and .start_arguments.confirm_mode == 2
                             and .start_arguments.confirm_all_or_nothing == true'

# A staged rollout (issue 12 item 7): the flags become the request's rollout.
run rollout sy devices sync --all --resync --live --confirm-mode 0 --batches 1,rest --max-failed 10% --pause-seconds 0
follow_job rollout_follow "$(out rollout)"
check "devices sync --batches --max-failed --pause-seconds: a rollout, FINISHED, its arguments as given" \
    json_ok rollout_follow.json '.status == "FINISHED"
                                 and .start_arguments.rollout == {"batches": [1, "rest"], "max_failed": "10%", "pause_seconds": 0}
                                 and .result.rollout.stopped == null'
run rollout_needs_batches sy devices sync --all --live --max-failed 2
check "devices sync --max-failed without --batches: refused" failed_saying rollout_needs_batches "batches"
run suspend_ended sy jobs suspend "$(out rollout)"
check "jobs suspend of an ended job: refused, saying why" failed_saying suspend_ended "FINISHED" "only a RUNNING job"

run autopush sy devices sync --hostname sim0002 --auto-push
follow_job autopush_follow "$(out autopush)"
check "devices sync --auto-push: a dry run that says why nothing was pushed" \
    json_ok autopush_follow.json '.status == "FINISHED" and .result.auto_push.scheduled == false and .result.auto_push.reason == "nothing to push"'
check "... without --confirm-mode: the server's sync.default_confirm_mode (1), stored with the job" \
    json_ok autopush_follow.json '.start_arguments.confirm_mode == 1'

run backup sy devices backup --all
follow_job backup_follow "$(out backup)"
check "devices backup --all: a backup_configs job, FINISHED, each config stored or unchanged" \
    json_ok backup_follow.json '.status == "FINISHED" and .function_name == "backup_configs" and (.result.devices | length) == 3
                                and ([.result.devices[] | .backup] | all(. == "stored" or . == "unchanged"))'
check "... jobs show prints its devices" \
    test "$(grep -cE '^sim000[123] +ok .*(stored as|unchanged since) config [0-9]+$' "$work/backup_follow.out")" = 3
run backup_again sy devices backup --hostname sim0001
follow_job backup_again_follow "$(out backup_again)"
check "... a second backup finds sim0001 unchanged" \
    json_ok backup_again_follow.json '.status == "FINISHED" and .result.devices.sim0001.backup == "unchanged"'

# Restoring a recorded config (issue 14 item 4): the config read before the first push.
run restore_dry sy devices restore sim0001 --config-id "$read_id"
follow_job restore_dry_follow "$(out restore_dry)"
check "devices restore: an apply_config dry run with the diff back to the record, FINISHED" \
    json_ok restore_dry_follow.json ".status == \"FINISHED\" and .function_name == \"apply_config\"
                                     and .start_arguments == {\"hostname\": \"sim0001\", \"config_id\": $read_id, \"dry_run\": true, \"force\": false, \"confirm_mode\": 1}
                                     and (.result.devices.sim0001.job_tasks[1].diff | length > 0)"
check "... jobs show prints its device" grep -qE "^sim0001 +ok .* differs from config $read_id\$" "$work/restore_dry_follow.out"
run restore_live sy devices restore sim0001 --config-id "$read_id" --live --confirm-mode 0 --comment "known good"
follow_job restore_live_follow "$(out restore_live)"
check "devices restore --live: FINISHED, the device committed" \
    json_ok restore_live_follow.json '.status == "FINISHED" and .result.devices.sim0001.failed == false and .comment == "known good"'
run restored_json sy devices history sim0001 --json
check "... its newest record is the config the restore pushed" \
    json_ok restored_json.out ".[0].source == \"pushed\" and .[0].job_id == $(out restore_live)"
run restore_again sy devices restore sim0001 --config-id "$read_id"
follow_job restore_again_follow "$(out restore_again)"
check "... which a dry run then finds on the device" \
    json_ok restore_again_follow.json ".status == \"FINISHED\" and .result.devices.sim0001.job_tasks[1].result == \"runs config $read_id already\""
run restore_refused sy devices restore sim0001 --config-id 999999
check "devices restore of an unknown record: refused, naming the field" failed_saying restore_refused "config_id"

# --- host keys -----------------------------------------------------------------
echo "# devices host-keys list|forget: keys trusted on first use (accept-new), logged and on /events"
# host_key_event HOST EVENT: /events carried a host_keys event of HOST with a fingerprint.
host_key_event() {
    events events_all.txt host_keys | jq -se --arg h "$1" --arg e "$2" \
        'any(.[].host_keys[]; .hostname == $h and .event == $e and (.fingerprint | startswith("SHA256:")))' >/dev/null
}
check "devices fetch logged each key it trusted on first use, with its fingerprint" \
    eval "grep -qE 'trusting the SSH host key of sim0001 on first use: [a-z0-9-]+ SHA256:' '$work/fetch.err' &&
          grep -qE 'trusting the SSH host key of sim0002 on first use' '$work/fetch.err'"
check "serve logged the key its sync job trusted first (sim0003)" \
    grep -qE 'trusting the SSH host key of sim0003 on first use: [a-z0-9-]+ SHA256:' "$work/serve.log"
check "/events: sim0001's key trusted, with its fingerprint" wait_until 30 host_key_event sim0001 trusted
run keys sy devices host-keys list
check "devices host-keys list: the three devices' keys" \
    test "$(grep -cE '^sim000[123] +[a-z0-9-]+ +SHA256:[^ ]+ +[0-9-]+T[0-9:]+Z$' "$work/keys.out")" = 3
run keys_json sy devices host-keys list --json
fp1=$(jq -r '.[] | select(.hostname == "sim0001") | .fingerprint' "$work/keys_json.out")
check "devices host-keys list --json: fingerprints" grep -q '^SHA256:' <<<"$fp1"
check "DELETE /host_keys/<hostname> needs the admin role (403 for a read token)" \
    test "$(code -X DELETE -H "Authorization: Bearer $reader" "$api/api/v1.0/host_keys/sim0001")" = 403
run forget sy devices host-keys forget sim0001
check "devices host-keys forget: says which key it forgot" \
    eval "has forget '^forgot the host key of sim0001 \(' && grep -qF -- '$fp1)' '$work/forget.out'"
run keys_after sy devices host-keys list
check "... no longer listed, the others still are" eval "! has keys_after '^sim0001 ' && has keys_after '^sim0002 '"
check "/events: sim0001's key forgotten" wait_until 30 host_key_event sim0001 forgotten
run forget_again sy devices host-keys forget sim0001
check "forgetting it again fails, saying there is none" failed_saying forget_again "no host key remembered for 'sim0001'"
run refetch sy devices fetch sim0001
check "the next connection trusts the key the device shows" \
    eval "succeeded refetch && grep -q 'trusting the SSH host key of sim0001 on first use' '$work/refetch.err'"

# --- metrics -------------------------------------------------------------------
run metrics curl -sf -H "Authorization: Bearer $reader" "$api/api/v1.0/metrics"
check "/metrics: job counts by state" has metrics '^switchyard_jobs\{.*status="FINISHED"'
check "/metrics: the device outcomes of sync jobs" has metrics '^switchyard_device_tasks'

# --- stop ----------------------------------------------------------------------
kill -TERM "$serve_pid"
check "serve stops on SIGTERM" wait_until 60 gone "$serve_pid"
run migrate_after sy db migrate
check "db migrate after serve stopped: nothing to do" has migrate_after "\(nothing to do\)"

finish
