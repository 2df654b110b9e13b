-- name: take_at_deadline :optional
-- params: id bigint, job_id bigint, attempt integer
-- columns: id bigint, hostname text, sync_job_id bigint, phase text
-- Attempt @attempt of the roll_back_unconfirmed job @job_id takes change @id
-- at its deadline, whoever answered for it (the sync, its confirm job): only
-- while the timer it is is still armed (nobody confirmed the change, rolled
-- it back or adopted it for a recovery) and the commit waits for its confirm.
-- A confirm that comes later finds the change taken (claim_confirm.sql).
UPDATE device_change_journal
SET job_id = @job_id, attempt = @attempt, updated_at = now()
WHERE id = @id AND confirm_timer_job_id = @job_id AND closed_at IS NULL AND phase = 'awaiting_confirm'
  AND confirm_deadline <= now()
RETURNING id, hostname, sync_job_id, phase
