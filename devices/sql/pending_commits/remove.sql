-- name: remove :exec
-- params: hostname text, job_id bigint
-- Confirmed or rolled back: nothing pending any more.
DELETE FROM device_pending_commits WHERE hostname = @hostname AND job_id = @job_id
