-- name: carry_to_retry :exec
-- params: job_ids bigint[]
-- Jobs the rescuer sent back to SCHEDULED keep their locks for the attempt
-- they run next (a confirm never gives up the devices it was handed).
UPDATE job_locks l SET attempt = j.attempt + 1
FROM jobs j
WHERE j.id = l.job_id AND l.job_id = ANY (@job_ids::bigint[]) AND j.status = 'SCHEDULED' AND l.attempt = j.attempt
