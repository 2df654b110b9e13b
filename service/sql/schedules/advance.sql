-- name: advance :exec
-- params: id bigint, next_run_epoch float8, last_job_id bigint?, last_error text?
-- After a round: the next tick, the newest job and what went wrong (NULL: nothing).
UPDATE schedules
SET next_run_at = to_timestamp(@next_run_epoch::float8), last_run_at = now(),
    last_job_id = coalesce(@last_job_id, last_job_id), last_error = @last_error
WHERE id = @id
