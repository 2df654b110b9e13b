-- name: request_abort :exec
-- params: job_id bigint
-- Mark the locks of a job whose abort was asked for.
UPDATE job_locks SET abort = true WHERE job_id = @job_id
