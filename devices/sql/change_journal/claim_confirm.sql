-- name: claim_confirm :optional
-- params: id bigint, job_id bigint, attempt integer
-- columns: id bigint, disarmed_timer_job_id bigint?
-- The owner of change @id is about to confirm its commit: the change moves
-- from awaiting_confirm to committed and its confirm timer is disarmed (its
-- job returned, for the caller to cancel in this transaction). No row when
-- the owner no longer answers for it (the timer job took it at its deadline,
-- a recovery adopted it) or its deadline has passed: then it must not be
-- confirmed (state.sql says why).
WITH old AS (
    SELECT id, confirm_timer_job_id FROM device_change_journal
    WHERE id = @id AND job_id = @job_id AND attempt = @attempt AND closed_at IS NULL AND phase = 'awaiting_confirm'
      AND (confirm_deadline IS NULL OR confirm_deadline > now())
    FOR UPDATE
)
UPDATE device_change_journal j
SET phase = 'committed', updated_at = now(), confirm_timer_job_id = NULL, confirm_deadline = NULL
FROM old
WHERE j.id = old.id AND j.job_id = @job_id AND j.attempt = @attempt AND j.closed_at IS NULL
  AND j.phase = 'awaiting_confirm' AND (j.confirm_deadline IS NULL OR j.confirm_deadline > now())
RETURNING j.id, old.confirm_timer_job_id AS disarmed_timer_job_id
