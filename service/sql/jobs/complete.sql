-- name: complete :many
-- params: completions jsonb, worker_id bigint
-- columns: id bigint
-- Finalise (or send back for retry) a batch of attempts of worker @worker_id.
-- @completions: JSON array of {"id", "attempt", "status", "result", "result_parts", "exception",
-- "error", "retry_in_seconds", "finished_devices", "change_score", "progress", "abort_reason"}.
-- "result_parts" n: the result is the attempt's n parts in job_result_parts,
-- joined in order (they are deleted after, drop_ended_result_parts.sql).
-- An ABORTED job's message gives the operator's reason (abort_job) or else the
-- one this process stopped it for (a shutdown, the lease guard).
-- Only rows this worker still runs are touched (a rescued job's late result is
-- dropped). Returns the ids that were finalised.
UPDATE jobs j
SET status           = d.status,
    finish_time      = CASE WHEN d.status = 'SCHEDULED' THEN NULL ELSE now() END,
    scheduled_time   = CASE WHEN d.status = 'SCHEDULED'
                            THEN now() + make_interval(secs => d.retry_in_seconds) ELSE j.scheduled_time END,
    result           = CASE WHEN d.status = 'ABORTED'
                            THEN (CASE WHEN jsonb_typeof(coalesce(d.result, p.result, j.result)) = 'object'
                                       THEN coalesce(d.result, p.result, j.result) ELSE '{}'::jsonb END)
                                 || jsonb_build_object('message', 'Job aborted: ' || coalesce(j.abort_reason, d.abort_reason, 'no reason given'),
                                                       'aborted_by', j.aborted_by)
                            ELSE coalesce(d.result, p.result, j.result) END,
    exception        = d.exception,
    errors           = CASE WHEN d.error IS NULL THEN j.errors ELSE j.errors || jsonb_build_array(d.error) END,
    finished_devices = coalesce(d.finished_devices, j.finished_devices),
    change_score     = coalesce(d.change_score, j.change_score),
    progress         = coalesce(d.progress, j.progress),
    worker_id        = NULL
FROM jsonb_to_recordset(@completions::jsonb) AS d(id bigint, attempt integer, status text, result jsonb, exception jsonb,
                                        error jsonb, retry_in_seconds float8, finished_devices jsonb,
                                        change_score smallint, progress jsonb, abort_reason text,
                                        result_parts integer)
     LEFT JOIN LATERAL (SELECT string_agg(part, '' ORDER BY seq)::jsonb AS result
                        FROM job_result_parts
                        WHERE job_id = d.id AND attempt = d.attempt AND seq < d.result_parts
                        HAVING count(*) = d.result_parts) AS p ON true
WHERE j.id = d.id AND j.attempt = d.attempt AND j.worker_id = @worker_id AND j.status IN ('RUNNING', 'ABORTING')
RETURNING j.id
