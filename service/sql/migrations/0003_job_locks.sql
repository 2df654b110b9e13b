-- Named locks held by running jobs (CNaaS-NMS's joblocks).
CREATE TABLE job_locks (
    name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    job_id     bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    start_time timestamptz NOT NULL DEFAULT now(),
    abort      boolean NOT NULL DEFAULT false
);
CREATE INDEX job_locks_job ON job_locks (job_id);
