-- name: release_for_jobs :exec
-- params: job_ids bigint[]
-- The locks of jobs whose run ended.
DELETE FROM job_locks WHERE job_id = ANY (@job_ids::bigint[])
