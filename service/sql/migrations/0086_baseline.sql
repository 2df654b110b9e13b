-- Switchyard's schema as of its first release (0.1.0): the 31 migrations
-- written while it was developed (0001-0086), folded into the schema they
-- add up to, each object once, with the reasons they gave. Their history
-- is in git (`git log -- service/sql/migrations`).
--
-- Numbered 0086, the version the last of them reached: a database that had
-- them all applied has this version recorded already and is left alone. A
-- database at an earlier development version is refused by the migrator
-- (service/store/migrator.cpp), which says how to bring it forward. Every
-- change from here on is a new migration after this one; service/sql/schema.sql
-- is what they all add up to (tests/service/schema_test.cpp compares).

-- ============================================================================
-- Jobs
-- ============================================================================

-- The durable record of every request. Column names follow CNaaS-NMS's jobs
-- API; engine columns sit beside them.
CREATE TABLE jobs (
    id               bigserial PRIMARY KEY,
    status           text NOT NULL DEFAULT 'SCHEDULED'
                     CHECK (status IN ('SCHEDULED', 'RUNNING', 'FINISHED', 'EXCEPTION', 'ABORTING', 'ABORTED')),
    function_name    text NOT NULL,
    queue            text NOT NULL DEFAULT 'default',
    priority         smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
    scheduled_time   timestamptz NOT NULL DEFAULT now(),
    start_time       timestamptz,
    finish_time      timestamptz,
    created_time     timestamptz NOT NULL DEFAULT now(),
    scheduled_by     text,
    comment          text,
    ticket_ref       text,
    next_job_id      bigint,
    result           jsonb,
    -- CNaaS-NMS's shape: exception.traceback is one string (its db/job.py
    -- finish_exception; cnaas-front's JobDetails.js reads it as a string).
    exception        jsonb,
    finished_devices jsonb NOT NULL DEFAULT '[]',
    change_score     smallint CHECK (change_score BETWEEN 0 AND 100),
    start_arguments  jsonb NOT NULL DEFAULT '{}',
    progress         jsonb,
    attempt          integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 1 CHECK (max_attempts BETWEEN 1 AND 100),
    errors           jsonb NOT NULL DEFAULT '[]',   -- one entry per failed attempt
    timeout_seconds  integer NOT NULL CHECK (timeout_seconds > 0),
    retry_safe       boolean NOT NULL DEFAULT false, -- may be re-run after its worker died
    idempotency_key  text,
    worker_id        bigint,                         -- the worker running it (RUNNING, ABORTING)
    abort_reason     text,
    aborted_by       text,
    -- How many times a worker died (or lost its lease) while running the job.
    -- The rescuer gives up on a job whose workers died twice, whatever its
    -- attempts and retry safety: such a job may be what kills them.
    worker_deaths    smallint NOT NULL DEFAULT 0,
    -- retry_of: the ended job this one runs again; retried_by: the job that
    -- runs this one again (PUT /job/<id> {"action": "RETRY"}).
    retry_of         bigint,
    retried_by       bigint,
    -- How long this job is expected to run, from the durations of earlier
    -- jobs of its kind (per device for device jobs), set when it is enqueued;
    -- the API's eta_seconds follows from it.
    estimated_seconds float8,
    -- Suspending a running rollout: PUT /job/<id> {"action": "SUSPEND"} sets
    -- it, "RESUME" clears it. The job stays RUNNING and keeps its locks; its
    -- worker reads the flag with its heartbeat, as it reads an abort, and the
    -- rollout starts no batch while it is set. suspended_by: who asked last
    -- (or the job itself: pause_after_first).
    suspend_requested boolean NOT NULL DEFAULT false,
    suspended_by     text
);

-- Claiming: due SCHEDULED jobs of a queue in priority, time, id order.
CREATE INDEX jobs_claim ON jobs (queue, priority, scheduled_time, id) WHERE status = 'SCHEDULED';
-- The rescuer and heartbeats: running jobs by worker.
CREATE INDEX jobs_running ON jobs (worker_id) WHERE status IN ('RUNNING', 'ABORTING');
-- The cleaner: ended jobs by age.
CREATE INDEX jobs_finished ON jobs (status, finish_time) WHERE finish_time IS NOT NULL;
-- A second enqueue with the same key finds the first job.
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- GET /jobs on a large table: the filters it allows, each with id order for
-- paging. CNaaS-NMS's front end filters by finish_time (cnaas-front
-- JobSearchForm.js), a range here (api/time_filter.h); CNaaS-NMS indexes
-- that column too (db/job.py: finish_time index=True).
CREATE INDEX jobs_status_id ON jobs (status, id);
CREATE INDEX jobs_function_name_id ON jobs (function_name, id);
CREATE INDEX jobs_scheduled_by_id ON jobs (scheduled_by, id);
CREATE INDEX jobs_finish_time ON jobs (finish_time, id);

-- A job's result stored in parts while the job writes it: a 10,000-device
-- sync's result is 13 MB of text, which the job's process held whole, then
-- again as the row that carried it to PostgreSQL, and again in libpq's
-- buffer, which keeps its largest size for the connection's life. Written in
-- parts of about 256 KB as the job builds it, the text is never whole in the
-- process; the statement that ends the attempt makes the parts its result
-- (jobs/complete.sql) and deletes every part of the job. Parts of an attempt
-- that never completed (its worker died) stay until the job ends or the
-- cleaner deletes it.
CREATE TABLE job_result_parts (
    job_id   bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt  integer NOT NULL,
    seq      integer NOT NULL CHECK (seq >= 0),
    part     text NOT NULL,
    PRIMARY KEY (job_id, attempt, seq)
);

-- ============================================================================
-- Workers, leaders and locks
-- ============================================================================

-- Worker processes and their leases. A worker heartbeats; one whose heartbeat
-- is older than its lease is dead (dead_at set by the rescuer) and its running
-- jobs are rescued.
CREATE TABLE workers (
    id            bigserial PRIMARY KEY,
    hostname      text NOT NULL,
    pid           integer NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    lease_seconds integer NOT NULL CHECK (lease_seconds > 0),
    dead_at       timestamptz,
    dead_reason   text,
    -- A worker that stopped on purpose (SIGTERM) and left jobs behind that
    -- would not stop did not die: those jobs do not count it as a death.
    retired       boolean NOT NULL DEFAULT false
);

-- Leader election for the maintenance services: one row per role, held by a
-- worker until expires_at unless renewed.
CREATE TABLE leaders (
    name       text PRIMARY KEY,
    worker_id  bigint NOT NULL,
    elected_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

-- Named locks held by running jobs (CNaaS-NMS's joblocks). A lock carries
-- the attempt that took it: two attempts of one job never share a lock, and a
-- holder proves before each device change that this attempt still holds it
-- (jobs/fence.sql). A row written by hand without an attempt belongs to its
-- job's first.
CREATE TABLE job_locks (
    name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    job_id     bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    start_time timestamptz NOT NULL DEFAULT now(),
    abort      boolean NOT NULL DEFAULT false,
    attempt    integer NOT NULL DEFAULT 1
);
CREATE INDEX job_locks_job ON job_locks (job_id);

-- Whether a lock row still binds: the attempt that holds it is running, or
-- the lock was handed to a job that has not started yet (a next_job_id
-- follow-up, a retry the rescuer scheduled) and names the attempt that job
-- runs next. Every statement that takes over or releases a lock asks this.
CREATE FUNCTION job_lock_is_live(lock_job_id bigint, lock_attempt integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM jobs j
                   WHERE j.id = lock_job_id
                     AND ((j.status IN ('RUNNING', 'ABORTING') AND j.attempt = lock_attempt)
                          OR (j.status = 'SCHEDULED' AND j.attempt + 1 = lock_attempt)))
$$;

-- ============================================================================
-- Job and lock events, job counts
-- ============================================================================

-- Every job state change (and finished-device count change) and every lock
-- change is published with NOTIFY, one notification per statement and per 50
-- rows, so batch claims and completions cost one notification, not hundreds.
--   switchyard_job_events   {"jobs":[{"id","status","function_name","finished_devices"}]}
--   switchyard_job_ready    queue name, when due jobs are inserted
--   switchyard_lock_events  {"locks":[{"name","job_id","event":"acquired"|"released"}]}
--
-- Exact job counts by status and kind, so GET /jobs can send X-Total-Count
-- for the common queries (none, status and/or function_name filters) without
-- counting a large table. The statement triggers append deltas (insert-only:
-- no row is contended); the maintenance leader folds them into job_counts. At
-- any snapshot, job_counts + job_count_deltas is the exact count.
CREATE TABLE job_counts (
    status        text NOT NULL,
    function_name text NOT NULL,
    n             bigint NOT NULL,
    PRIMARY KEY (status, function_name)
);
CREATE TABLE job_count_deltas (
    status        text NOT NULL,
    function_name text NOT NULL,
    n             bigint NOT NULL
);

CREATE FUNCTION switchyard_publish_jobs(changed jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    chunk jsonb;
BEGIN
    FOR chunk IN
        SELECT jsonb_build_object('jobs', jsonb_agg(e ORDER BY (e->>'id')::bigint))
        FROM (SELECT e, (row_number() OVER () - 1) / 50 AS grp FROM jsonb_array_elements(changed) e) c
        GROUP BY grp
    LOOP
        PERFORM pg_notify('switchyard_job_events', chunk::text);
    END LOOP;
END $$;

CREATE FUNCTION switchyard_jobs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    PERFORM switchyard_publish_jobs(
        (SELECT jsonb_agg(jsonb_build_object('id', id, 'status', status, 'function_name', function_name,
                                             'finished_devices', jsonb_array_length(finished_devices)))
         FROM new_rows));
    INSERT INTO job_count_deltas SELECT status, function_name, count(*) FROM new_rows GROUP BY 1, 2;
    FOR q IN SELECT DISTINCT queue FROM new_rows WHERE status = 'SCHEDULED' AND scheduled_time <= now() LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;

-- The update trigger does not join its transition tables. PL/pgSQL caches a
-- generic plan for a function's queries after a few calls. Transition tables
-- have no statistics, so a plan cached while a session updated one job at a
-- time is a nested loop over new_rows x old_rows: a session that then
-- finished jobs 2,000 at a time spent ~550 ms per batch instead of ~40 ms
-- (the engine benchmark's intermittent collapse to ~3,000 jobs/s). Set
-- operations (EXCEPT, UNION ALL with GROUP BY) hash or sort whatever the
-- plan, so no batch size can make them quadratic.
CREATE FUNCTION switchyard_jobs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
    q text;
BEGIN
    -- Jobs whose status or finished device count changed (finished_devices
    -- only grows, so its length says whether it changed).
    SELECT jsonb_agg(jsonb_build_object('id', id, 'status', status, 'function_name', function_name,
                                        'finished_devices', finished) ORDER BY id)
    INTO changed
    FROM (SELECT id, status, function_name, jsonb_array_length(finished_devices) AS finished FROM new_rows
          EXCEPT ALL
          SELECT id, status, function_name, jsonb_array_length(finished_devices) FROM old_rows) c;
    IF changed IS NOT NULL THEN
        PERFORM switchyard_publish_jobs(changed);
        -- Count deltas: +1 per new row, -1 per old row; unchanged rows cancel.
        INSERT INTO job_count_deltas
        SELECT status, function_name, sum(n) FROM (
            SELECT status, function_name, 1 AS n FROM new_rows
            UNION ALL
            SELECT status, function_name, -1 FROM old_rows) d
        GROUP BY 1, 2
        HAVING sum(n) <> 0;
    END IF;
    -- A job back in SCHEDULED and already due (an immediate retry) wakes workers.
    FOR q IN SELECT DISTINCT queue FROM (
                 SELECT id, queue FROM new_rows WHERE status = 'SCHEDULED' AND scheduled_time <= now()
                 EXCEPT ALL
                 SELECT id, queue FROM old_rows WHERE status = 'SCHEDULED') woken LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION switchyard_jobs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_deltas SELECT status, function_name, -count(*) FROM old_rows GROUP BY 1, 2;
    RETURN NULL;
END $$;

-- Truncating jobs (tests, benchmarks) must not leave stale counts.
CREATE FUNCTION switchyard_jobs_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM job_counts;
    DELETE FROM job_count_deltas;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_inserted AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_inserted();
CREATE TRIGGER jobs_updated AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_updated();
CREATE TRIGGER jobs_deleted AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_deleted();
CREATE TRIGGER jobs_truncated AFTER TRUNCATE ON jobs FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_truncated();

CREATE FUNCTION switchyard_locks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('name', name, 'job_id', job_id, 'event', 'acquired')) INTO payload FROM new_rows;
    ELSE
        SELECT jsonb_agg(jsonb_build_object('name', name, 'job_id', job_id, 'event', 'released')) INTO payload FROM old_rows;
    END IF;
    IF payload IS NOT NULL THEN
        PERFORM pg_notify('switchyard_lock_events', left(jsonb_build_object('locks', payload)::text, 7900));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER job_locks_acquired AFTER INSERT ON job_locks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_locks_changed();
CREATE TRIGGER job_locks_released AFTER DELETE ON job_locks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_locks_changed();

-- ============================================================================
-- The API's documents
-- ============================================================================

-- Seconds left of a running job: from its own pace once some of its devices
-- finished (elapsed / finished * left), else its estimate less the time
-- spent; NULL when neither is known.
CREATE FUNCTION job_eta_seconds(elapsed float8, estimated float8, finished integer, total float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN finished > 0 AND total IS NOT NULL THEN
            round(greatest(0, elapsed / finished * (total - finished))::numeric, 1)::float8
        WHEN estimated IS NOT NULL THEN round(greatest(0, estimated - elapsed)::numeric, 1)::float8
    END
$$;

-- A job as the API shows it (CNaaS-NMS field names, ISO 8601 times, plus the
-- engine's fields), built by one function so that the document and its
-- outline cannot drift apart: the outline is the same document of a result
-- whose devices are emptied. GET /job/<id> of an ended 10,000-device sync
-- reads the outline (a few KB), then the result's devices a batch at a time
-- (jobs/result_devices.sql), rather than a 14 MB document parsed whole.
--
-- json, not jsonb: jsonb_build_object copied each argument into a new jsonb
-- tree before it was printed. A running 10,000-device sync carries
-- finished_devices and start_arguments' hostnames (10,000 names each), and
-- its document took 15-18 ms to build where json_build_object, which prints
-- each argument as it is, takes 6 ms (an ended 300-device job's: 4.4 ms
-- against 1.6; PostgreSQL 15 on 2 cores). Its keys come in the order written
-- here, and the top level's separators are " : ".
--
-- A SQL function of one SELECT is inlined by the planner, and a view column
-- no statement selects is never computed: GET /jobs' page, which reads ids
-- and versions only, builds no JSON.
CREATE FUNCTION job_document(j jobs, shown_result jsonb) RETURNS json
    LANGUAGE sql STABLE
    AS $$
    SELECT json_build_object(
        'id', j.id, 'status', j.status,
        'scheduled_time', j.scheduled_time, 'start_time', j.start_time, 'finish_time', j.finish_time,
        'function_name', j.function_name, 'scheduled_by', j.scheduled_by, 'comment', j.comment,
        'ticket_ref', j.ticket_ref, 'next_job_id', j.next_job_id, 'result', shown_result, 'exception', j.exception,
        'finished_devices', j.finished_devices, 'change_score', j.change_score, 'start_arguments', j.start_arguments,
        'queue', j.queue, 'priority', j.priority, 'attempt', j.attempt, 'max_attempts', j.max_attempts,
        'errors', j.errors, 'timeout_seconds', j.timeout_seconds, 'idempotency_key', j.idempotency_key,
        'worker_id', j.worker_id, 'progress', j.progress, 'created_time', j.created_time,
        'abort_reason', j.abort_reason, 'aborted_by', j.aborted_by,
        'retry_of', j.retry_of, 'retried_by', j.retried_by, 'estimated_seconds', j.estimated_seconds,
        'eta_seconds', CASE WHEN j.status = 'RUNNING' THEN job_eta_seconds(
            extract(epoch FROM now() - j.start_time)::float8, j.estimated_seconds,
            jsonb_array_length(j.finished_devices),
            CASE WHEN jsonb_typeof(j.progress -> 'total') = 'number' THEN (j.progress ->> 'total')::float8 END) END)
    $$;

-- GET /job/<id> and GET /jobs read `document` (or `outline`), filtering and
-- sorting on the other columns. A plain view: the planner folds it into each
-- query, so indexes on jobs serve as before and the document is built only
-- for the rows returned. row_version is the version of the jobs row the
-- document was built from: the row's xmin, the transaction that wrote it,
-- which every UPDATE changes. GET /jobs keeps ended jobs' documents in memory
-- keyed by (id, row_version); a version no transaction committed is never
-- visible, one committed version of a row has one xmin, and the raw xmin
-- stays when VACUUM freezes the row.
CREATE VIEW job_documents AS
SELECT id, status, function_name, scheduled_by, comment, ticket_ref, next_job_id, change_score, queue, priority,
       scheduled_time, start_time, finish_time,
       job_document(jobs, result)::text AS document,
       xmin::text::bigint AS row_version,
       job_document(jobs, CASE WHEN jsonb_typeof(result -> 'devices') = 'object'
                               THEN jsonb_set(result, '{devices}', '{}'::jsonb) ELSE result END)::text AS outline
FROM jobs;

-- ============================================================================
-- Schedules
-- ============================================================================

-- A job kind with its arguments, enqueued at each tick of a cron expression
-- (in a time zone) or of a fixed interval. The maintenance leader locks the
-- due rows, inserts one job per tick (idempotency key "schedule:<id>:<tick>")
-- and moves next_run_at on, in one transaction: a tick becomes one job
-- however many processes run.
CREATE TABLE schedules (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    function_name text NOT NULL,
    arguments jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(arguments) = 'object'),
    cron text CHECK (length(cron) BETWEEN 1 AND 200),
    time_zone text NOT NULL DEFAULT 'UTC',
    interval_seconds integer CHECK (interval_seconds BETWEEN 1 AND 31622400),
    -- An interval schedule ticks at anchor + k * interval.
    anchor timestamptz NOT NULL DEFAULT now(),
    enabled boolean NOT NULL DEFAULT true,
    missed text NOT NULL DEFAULT 'run_once' CHECK (missed IN ('run_once', 'skip')),
    priority smallint CHECK (priority BETWEEN 1 AND 10),
    comment text,
    next_run_at timestamptz NOT NULL,
    last_run_at timestamptz,
    last_job_id bigint,
    last_error text,
    created_by text,
    created_time timestamptz NOT NULL DEFAULT now(),
    updated_time timestamptz NOT NULL DEFAULT now(),
    CHECK ((cron IS NULL) <> (interval_seconds IS NULL))
);
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE enabled;

-- A schedule as the API shows it.
CREATE VIEW schedule_documents AS
SELECT id,
       jsonb_build_object(
           'id', id, 'name', name, 'function_name', function_name, 'arguments', arguments, 'cron', cron,
           'time_zone', time_zone, 'interval_seconds', interval_seconds, 'anchor', anchor, 'enabled', enabled,
           'missed', missed, 'priority', priority, 'comment', comment, 'next_run_at', next_run_at,
           'last_run_at', last_run_at, 'last_job_id', last_job_id, 'last_error', last_error,
           'created_by', created_by, 'created_time', created_time, 'updated_time', updated_time)::text AS document
FROM schedules;

-- ============================================================================
-- Devices
-- ============================================================================

-- The inventory Switchyard manages (devices/inventory.h).
CREATE TABLE devices (
    hostname       text PRIMARY KEY,
    management_ip  inet NOT NULL,
    port           integer NOT NULL DEFAULT 22 CHECK (port BETWEEN 1 AND 65535),
    platform       text NOT NULL,
    device_type    text NOT NULL DEFAULT 'UNKNOWN'
                   CHECK (device_type IN ('ACCESS', 'DIST', 'CORE', 'UNKNOWN')),
    state          text NOT NULL DEFAULT 'MANAGED' CHECK (state IN ('MANAGED', 'UNMANAGED')),
    synchronized   boolean NOT NULL DEFAULT false,
    confhash       text,
    last_seen      timestamptz,
    groups         text[] NOT NULL DEFAULT '{}',
    created_time   timestamptz NOT NULL DEFAULT now(),
    updated_time   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_groups_idx ON devices USING gin (groups);
CREATE INDEX devices_device_type_idx ON devices (device_type);

-- SSH host keys first seen under the accept-new policy
-- (devices/host_key_store.h). One remembered key per device. A changed key
-- is refused, never overwritten: an operator deletes the row after checking
-- the device was really re-keyed.
CREATE TABLE device_host_keys (
    hostname     text PRIMARY KEY,
    key_type     text NOT NULL,
    public_key   text NOT NULL,   -- base64, as in known_hosts
    fingerprint  text NOT NULL,   -- SHA256:..., as OpenSSH prints it
    first_seen   timestamptz NOT NULL DEFAULT now()
);

-- Host keys remembered under accept-new (trusted on first use) and forgotten
-- by an operator are published like job and lock changes, for /events:
--   switchyard_host_key_events  {"host_keys":[{"hostname","key_type","fingerprint","event":"trusted"|"forgotten"}]}
-- One notification per key: such changes are rare, and a row never nears
-- NOTIFY's 8,000-byte limit.
CREATE FUNCTION switchyard_host_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed device_host_keys;
BEGIN
    changed := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
    PERFORM pg_notify('switchyard_host_key_events', jsonb_build_object('host_keys', jsonb_build_array(
        jsonb_build_object('hostname', changed.hostname, 'key_type', changed.key_type,
                           'fingerprint', changed.fingerprint,
                           'event', CASE WHEN TG_OP = 'INSERT' THEN 'trusted' ELSE 'forgotten' END)))::text);
    RETURN NULL;
END $$;

CREATE TRIGGER device_host_key_trusted AFTER INSERT ON device_host_keys
    FOR EACH ROW EXECUTE FUNCTION switchyard_host_key_changed();
CREATE TRIGGER device_host_key_forgotten AFTER DELETE ON device_host_keys
    FOR EACH ROW EXECUTE FUNCTION switchyard_host_key_changed();

-- Why each device became unsynchronized: CNaaS-NMS's sync history
-- (src/cnaas_nms/devicehandler/sync_history.py, kept in redis there), read by
-- GET /device_synchistory. A device's events go when it is synchronized
-- again, whichever path marks it so (a sync, a confirm, PUT /device), as
-- CNaaS-NMS's remove_sync_events does: a trigger, so no path can forget.
CREATE TABLE device_sync_events (
    id        bigserial PRIMARY KEY,
    hostname  text NOT NULL REFERENCES devices (hostname) ON DELETE CASCADE ON UPDATE CASCADE,
    cause     text NOT NULL CHECK (cause <> '' AND length(cause) <= 255),
    at        timestamptz NOT NULL DEFAULT now(),
    by        text NOT NULL,
    job_id    bigint
);
CREATE INDEX device_sync_events_hostname ON device_sync_events (hostname, id);

CREATE FUNCTION switchyard_device_synchronized() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM device_sync_events WHERE hostname = NEW.hostname;
    RETURN NULL;
END $$;

CREATE TRIGGER devices_synchronized AFTER UPDATE OF synchronized ON devices
FOR EACH ROW WHEN (NEW.synchronized) EXECUTE FUNCTION switchyard_device_synchronized();

-- ============================================================================
-- Configs: history and a job's texts
-- ============================================================================

-- Every config a job read from or pushed to a device (devices/config_history.h),
-- so the previous config can be shown and diffed. Texts are stored once,
-- addressed by the SHA-256 (hex) of the raw text; a history row points at
-- its text.
CREATE TABLE device_config_texts (
    sha256  text PRIMARY KEY,
    config  text NOT NULL
);

CREATE TABLE device_config_history (
    id           bigserial PRIMARY KEY,
    hostname     text NOT NULL REFERENCES devices (hostname) ON DELETE CASCADE,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    job_id       bigint,  -- no foreign key: the cleaner removes old jobs, the history stays
    source       text NOT NULL CHECK (source IN ('read', 'pushed')),
    confhash     text NOT NULL,  -- as devices.confhash: hash of the normalised config
    text_sha256  text NOT NULL REFERENCES device_config_texts (sha256),
    -- The platform the device had when the config was recorded. A record
    -- made while the device was another platform (replaced by a box of
    -- another vendor under the same hostname) is never restored to it
    -- (apply_config): its text is in the other platform's language. NULL
    -- where not known (records of development builds before 0073).
    platform     text
);
CREATE INDEX device_config_history_hostname_idx ON device_config_history (hostname, id DESC);
-- Finds texts no row points at any more (after pruning) without a scan.
CREATE INDEX device_config_history_text_idx ON device_config_history (text_sha256);

-- Texts a job made for a device that are not what the device ran: the config
-- it generated, and a diff too large for the job's result (tasks/sync_texts.h).
-- The job's result names them by id instead of holding them.
--
-- Not config history with a source 'generated': every reader of that history
-- (the configs list and its diffs, previous_config, confhash, backup's
-- "newest record" check, the per-device pruning to 200 records) takes a record
-- for a config a device ran; a generated config was never on the device, and
-- a dry run would push real records out. The texts themselves are stored once,
-- in device_config_texts, beside history's (its sweep keeps what these use).
-- A job's texts go with the job (the cleaner deletes old jobs).
CREATE TABLE job_device_texts (
    id           bigserial PRIMARY KEY,
    job_id       bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    hostname     text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('generated', 'diff')),
    text_sha256  text NOT NULL REFERENCES device_config_texts (sha256)
);
CREATE INDEX job_device_texts_job_idx ON job_device_texts (job_id);
CREATE INDEX job_device_texts_text_idx ON job_device_texts (text_sha256);

-- ============================================================================
-- Changes in flight
-- ============================================================================

-- Commits made with a confirm timer (confirm_mode 2) waiting for the
-- confirm_devices job. The previous config is kept for devices without a
-- timer of their own (frr), which Switchyard rolls back itself; it may hold
-- secrets, so nothing in the API reads this table.
CREATE TABLE device_pending_commits (
    hostname           text PRIMARY KEY REFERENCES devices ON DELETE CASCADE,
    job_id             bigint NOT NULL,      -- the sync job that committed
    pending            jsonb NOT NULL,       -- devices::PendingCommit
    intended_confhash  text NOT NULL,        -- what the device must run once confirmed
    committed_at       timestamptz NOT NULL DEFAULT now(),
    deadline           timestamptz NOT NULL  -- the timer runs out
);

-- The change journal (DESIGN.md "Crash safety"): before a live sync touches
-- a device it writes what the device ran and what it is about to get; the
-- row follows each phase of the change and closes when the device is
-- verified or restored. A job that ends abnormally with open rows gets a
-- recovery job (tasks/recover_devices.cpp) that brings each device back to a
-- whole state. Configs may hold secrets: nothing in the API reads this table.
--
-- confirm_timer_job_id, confirm_deadline: durable commit-confirm on devices
-- without a timer of their own (frr). Before such a commit the sync schedules
-- a roll_back_unconfirmed job at the confirm deadline and records it here.
-- The timer is armed while the column is set; whoever settles the change
-- first disarms it (a confirm, the owner's own rollback, a recovery adopting
-- it), or the timer job takes the entry at its deadline
-- (tasks/roll_back_unconfirmed.cpp).
CREATE TABLE device_change_journal (
    id             bigserial PRIMARY KEY,
    -- The attempt that answers for the change now: the sync that made it,
    -- then the confirm_devices or recovery job that adopted it.
    job_id         bigint NOT NULL,
    attempt        integer NOT NULL,
    sync_job_id    bigint NOT NULL,   -- the live sync that made the change
    hostname       text NOT NULL,
    config_before  text NOT NULL,     -- the running config before the change
    intended       text NOT NULL,     -- the config the change brings
    phase          text NOT NULL CHECK (phase IN ('pushing', 'committed', 'awaiting_confirm',
                                                  'verified', 'restored', 'completed', 'failed', 'unreachable')),
    opened_at      timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz,
    confirm_timer_job_id bigint,
    confirm_deadline     timestamptz,
    CHECK ((closed_at IS NULL) = (phase IN ('pushing', 'committed', 'awaiting_confirm')))
);
-- What a job left open: asked in the transaction that ends it.
CREATE INDEX device_change_journal_open ON device_change_journal (job_id) WHERE closed_at IS NULL;
-- Closed rows are pruned after a while (devices/sql/change_journal/prune.sql).
CREATE INDEX device_change_journal_closed ON device_change_journal (closed_at) WHERE closed_at IS NOT NULL;

-- Whether job @job leaves change @c to a recovery as it ends: it answers
-- for the change; or the change was handed to it (it is the next_job_id of
-- the job that answers for it, a confirm or a recovery) and it never
-- adopted it; or it is the change's confirm timer job
-- (roll_back_unconfirmed) and did not take it. The engine asks
-- open_for_job.sql whether an ending job needs a recovery, and the recovery
-- adopts with adopt_disarming.sql (devices/sql/change_journal/): both ask
-- this one function, so that a recovery scheduled always finds what it was
-- scheduled for. Open changes only are asked about (the callers' partial
-- index on closed_at IS NULL).
CREATE FUNCTION change_left_by(c device_change_journal, job bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT c.job_id = job
        OR coalesce(c.confirm_timer_job_id = job, false)
        OR EXISTS (SELECT 1 FROM jobs p WHERE p.id = c.job_id AND p.next_job_id = job)
$$;

-- A live sync's configs between its read and its push: the running config
-- each device was read with and the config to push, put aside once every
-- device has been read (the drift check needs them all read before any is
-- pushed) and taken back when the device's push starts, so that the job
-- holds in memory only the devices in flight, not the fleet (1,000 devices of
-- 2,000 lines held 330 MB between the two phases).
--
-- bytea, not text: these are pushed to the device and compared with what it
-- runs, so they come back byte for byte (a NUL or invalid UTF-8 from a
-- device included), where text columns clean them.
--
-- UNLOGGED: they matter only to the attempt that wrote them. A live sync is
-- not retried once its worker is lost, and nothing here is a record of a
-- change (the change journal is, written before a device is touched). After
-- a PostgreSQL crash the table is empty; an attempt still running then
-- fails those devices before touching them, saying so. Not writing them to
-- the WAL halves what the read phase costs PostgreSQL.
CREATE UNLOGGED TABLE sync_parked_configs (
    job_id      bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    hostname    text NOT NULL,
    read        bytea NOT NULL,
    intended    bytea NOT NULL,
    PRIMARY KEY (job_id, hostname)
);

-- ============================================================================
-- Repositories and the dashboard
-- ============================================================================

-- The commit each templates or settings repository renders from
-- (service/repositories.h): written by a refresh that rendered every
-- managed device, read when a sync job is scheduled (the job records it)
-- and by jobs that recorded none. One row per repository, shared by every
-- serve on this database.
CREATE TABLE repository_commits (
    name          text PRIMARY KEY CHECK (name IN ('templates', 'settings')),
    commit_sha    text NOT NULL CHECK (commit_sha ~ '^[0-9a-f]{40}$'),
    description   text NOT NULL,
    refreshed_by  text NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT now()
);

-- One-time sign-in links for the dashboard (`switchyard token --link`). A row
-- holds the SHA-256 of a random code (never the code, never a token), what
-- the token handed out for it will say, and until when it may be traded.
-- Trading it deletes the row, so a link works once.
CREATE TABLE dashboard_login_links (
    code_sha256        text PRIMARY KEY CHECK (code_sha256 ~ '^[0-9a-f]{64}$'),
    subject            text NOT NULL CHECK (subject <> ''),
    roles              text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['read', 'operator', 'admin']),
    token_ttl_seconds  integer NOT NULL CHECK (token_ttl_seconds > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL
);

-- ============================================================================
-- Compression
-- ============================================================================

-- The large values Switchyard writes are compressed with lz4 rather than
-- PostgreSQL's default pglz. A dry run of 1,000 devices with 2,000-line
-- configs writes about 130 MB of config texts and diffs; pglz compressing
-- them was the store's largest cost (pglz_compress, a quarter of
-- PostgreSQL's CPU in the sync bench), and the store shares the machine's
-- cores with the devices' sessions. lz4 compresses several times faster and
-- decompresses faster too (GET /job reads a whole result), for a little less
-- compression (the 1,000-device dry run's result: 0.9 MB stored against 0.7).
-- Measured on PostgreSQL 15 on 2 cores: 1,000 inserts of a 123 KB config took
-- 1.55-1.75 s with pglz and 0.46-0.74 s with lz4 (20 MB stored against 28).
-- A server built without lz4 (Debian's PostgreSQL has it) keeps pglz: the
-- change is a speed-up, not a need.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES ('device_config_texts', 'config'),
                                   ('device_change_journal', 'config_before'),
                                   ('device_change_journal', 'intended'),
                                   ('jobs', 'result'),
                                   ('job_result_parts', 'part'),
                                   ('sync_parked_configs', 'read'),
                                   ('sync_parked_configs', 'intended')) AS v(tab, col)
    LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET COMPRESSION lz4', c.tab, c.col);
        EXCEPTION WHEN feature_not_supported THEN
            RAISE NOTICE 'lz4 is not available on this server: %.% keeps pglz', c.tab, c.col;
        END;
    END LOOP;
END
$$;
