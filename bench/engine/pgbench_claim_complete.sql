-- pgbench reference: the engine's own claim and complete statements
-- (service/sql/jobs/claim.sql, complete.sql and the lock release), with the
-- same batch size, one pgbench client standing for one worker. The complete
-- statement's JSON is built in SQL from what the claim just took, which is
-- what the engine sends for a batch of finished noop jobs.
WITH picked AS (
    SELECT id FROM jobs
    WHERE status = 'SCHEDULED' AND queue = 'default' AND scheduled_time <= now()
    ORDER BY priority, scheduled_time, id
    LIMIT :batch
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs j
SET status = 'RUNNING', start_time = now(), finish_time = NULL, attempt = j.attempt + 1, worker_id = :client_id + 1000000
FROM picked
WHERE j.id = picked.id
RETURNING j.id, j.function_name, j.queue, j.attempt, j.max_attempts, j.timeout_seconds,
          j.start_arguments::text, coalesce(j.scheduled_by, ''), j.priority;
BEGIN;
UPDATE jobs j
SET status           = d.status,
    finish_time      = CASE WHEN d.status = 'SCHEDULED' THEN NULL ELSE now() END,
    scheduled_time   = CASE WHEN d.status = 'SCHEDULED'
                            THEN now() + make_interval(secs => d.retry_in_seconds) ELSE j.scheduled_time END,
    result           = CASE WHEN d.status = 'ABORTED' THEN j.result ELSE coalesce(d.result, j.result) END,
    exception        = d.exception,
    errors           = CASE WHEN d.error IS NULL THEN j.errors ELSE j.errors || jsonb_build_array(d.error) END,
    finished_devices = coalesce(d.finished_devices, j.finished_devices),
    change_score     = coalesce(d.change_score, j.change_score),
    progress         = coalesce(d.progress, j.progress),
    worker_id        = NULL
FROM jsonb_to_recordset((SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'attempt', attempt, 'status', 'FINISHED',
                                                                      'result', '{"message":"nothing to do"}'::jsonb)), '[]')
                         FROM jobs WHERE worker_id = :client_id + 1000000 AND status = 'RUNNING'))
     AS d(id bigint, attempt integer, status text, result jsonb, exception jsonb, error jsonb, retry_in_seconds float8,
          finished_devices jsonb, change_score smallint, progress jsonb)
WHERE j.id = d.id AND j.attempt = d.attempt AND j.worker_id = :client_id + 1000000 AND j.status IN ('RUNNING', 'ABORTING')
RETURNING j.id;
DELETE FROM job_locks WHERE job_id = ANY ('{}'::bigint[]);
COMMIT;
