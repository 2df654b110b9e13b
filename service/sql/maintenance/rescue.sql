-- name: rescue :many
-- params: decisions jsonb
-- columns: id bigint
-- Apply the rescuer's @decisions: a JSON array of {"id", "attempt", "status",
-- "exception", "error", "result", "worker_died"}; only rows still running that
-- attempt.
UPDATE jobs j
SET status         = d.status,
    finish_time    = CASE WHEN d.status = 'SCHEDULED' THEN NULL ELSE now() END,
    scheduled_time = CASE WHEN d.status = 'SCHEDULED' THEN now() ELSE j.scheduled_time END,
    exception      = d.exception,
    result         = coalesce(d.result, j.result),
    errors         = j.errors || jsonb_build_array(d.error),
    worker_deaths  = j.worker_deaths + CASE WHEN d.worker_died THEN 1 ELSE 0 END,
    worker_id      = NULL
FROM jsonb_to_recordset(@decisions::jsonb) AS d(id bigint, attempt integer, status text, exception jsonb, error jsonb,
                                                result jsonb, worker_died boolean)
WHERE j.id = d.id AND j.attempt = d.attempt AND j.status IN ('RUNNING', 'ABORTING')
RETURNING j.id
