-- Periodic jobs, retries of ended jobs and duration estimates (issue 12).
--
-- schedules: a job kind with its arguments, enqueued at each tick of a cron
-- expression (in a time zone) or of a fixed interval. The maintenance leader
-- locks the due rows, inserts one job per tick (idempotency key
-- "schedule:<id>:<tick>") and moves next_run_at on, in one transaction: a
-- tick becomes one job however many processes run.
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

-- retry_of: the ended job this one runs again; retried_by: the job that
-- runs this one again (PUT /job/<id> {"action": "RETRY"}).
-- estimated_seconds: how long this job is expected to run, from the
-- durations of earlier jobs of its kind (per device for device jobs), set
-- when it is enqueued; the API's eta_seconds follows from it.
ALTER TABLE jobs ADD COLUMN retry_of bigint, ADD COLUMN retried_by bigint, ADD COLUMN estimated_seconds float8;

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

-- The API's job document gains retry_of, retried_by, estimated_seconds and,
-- while the job runs, eta_seconds: from its own pace once devices finished
-- (elapsed / finished * left), else from the estimate less the time spent.
CREATE OR REPLACE VIEW job_documents AS
SELECT id, status, function_name, scheduled_by, comment, ticket_ref, next_job_id, change_score, queue, priority,
       scheduled_time, start_time, finish_time,
       jsonb_build_object(
           'id', id, 'status', status,
           'scheduled_time', scheduled_time, 'start_time', start_time, 'finish_time', finish_time,
           'function_name', function_name, 'scheduled_by', scheduled_by, 'comment', comment,
           'ticket_ref', ticket_ref, 'next_job_id', next_job_id, 'result', result, 'exception', exception,
           'finished_devices', finished_devices, 'change_score', change_score, 'start_arguments', start_arguments,
           'queue', queue, 'priority', priority, 'attempt', attempt, 'max_attempts', max_attempts,
           'errors', errors, 'timeout_seconds', timeout_seconds, 'idempotency_key', idempotency_key,
           'worker_id', worker_id, 'progress', progress, 'created_time', created_time,
           'abort_reason', abort_reason, 'aborted_by', aborted_by,
           'retry_of', retry_of, 'retried_by', retried_by, 'estimated_seconds', estimated_seconds,
           'eta_seconds', CASE WHEN status = 'RUNNING' THEN job_eta_seconds(
               extract(epoch FROM now() - start_time)::float8, estimated_seconds,
               jsonb_array_length(finished_devices),
               CASE WHEN jsonb_typeof(progress -> 'total') = 'number' THEN (progress ->> 'total')::float8 END) END
       )::text AS document
FROM jobs;

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
