-- name: adopt :many
-- params: from_job_id bigint, job_id bigint, attempt integer
-- columns: id bigint, hostname text, sync_job_id bigint, phase text
-- Attempt @attempt of job @job_id answers from now on for the changes job
-- @from_job_id left open (a confirm, a recovery; or a retry of itself). Not
-- their configs: configs.sql reads those one change at a time.
UPDATE device_change_journal
SET job_id = @job_id, attempt = @attempt, updated_at = now()
WHERE job_id = @from_job_id AND closed_at IS NULL
RETURNING id, hostname, sync_job_id, phase
