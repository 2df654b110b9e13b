-- name: hand_over :exec
-- params: from_job_id bigint, from_attempt integer, to_job_id bigint
-- Lock handover: the locks of attempt @from_attempt of @from_job_id pass to
-- the follow-up job @to_job_id (next_job_id) for the attempt it runs next,
-- in the transaction that ends the parent, so nothing slips in between.
UPDATE job_locks
SET job_id = @to_job_id, attempt = (SELECT attempt + 1 FROM jobs WHERE id = @to_job_id), start_time = now(), abort = false
WHERE job_id = @from_job_id AND attempt = @from_attempt
