-- name: drop_job :exec
-- params: job_id bigint
-- Job @job_id is done: what it parked and never pushed goes.
DELETE FROM sync_parked_configs WHERE job_id = @job_id
