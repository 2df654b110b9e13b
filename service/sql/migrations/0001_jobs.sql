-- Jobs: the durable record of every request. Column names follow CNaaS-NMS's
-- jobs API; engine columns sit beside them.
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
    aborted_by       text
);

-- Claiming: due SCHEDULED jobs of a queue in priority, time, id order.
CREATE INDEX jobs_claim ON jobs (queue, priority, scheduled_time, id) WHERE status = 'SCHEDULED';
-- The rescuer and heartbeats: running jobs by worker.
CREATE INDEX jobs_running ON jobs (worker_id) WHERE status IN ('RUNNING', 'ABORTING');
-- The cleaner: ended jobs by age.
CREATE INDEX jobs_finished ON jobs (status, finish_time) WHERE finish_time IS NOT NULL;
-- A second enqueue with the same key finds the first job.
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
