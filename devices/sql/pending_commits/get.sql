-- The commit job $2 left pending on device $1, and the seconds left on its timer.
SELECT pending::text, intended_confhash, extract(epoch FROM deadline - now())::float8
FROM device_pending_commits
WHERE hostname = $1 AND job_id = $2
