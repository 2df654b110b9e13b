-- name: get :optional
-- params: hostname text, job_id bigint
-- columns: pending jsonb, intended_confhash text, seconds_left float8
-- The commit job @job_id left pending on device @hostname, and the seconds
-- left on its timer.
SELECT pending, intended_confhash, extract(epoch FROM deadline - now())::float8 AS seconds_left
FROM device_pending_commits
WHERE hostname = @hostname AND job_id = @job_id
