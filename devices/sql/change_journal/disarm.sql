-- name: disarm :optional
-- params: id bigint, job_id bigint, attempt integer
-- columns: id bigint, disarmed_timer_job_id bigint?
-- The owner of change @id is about to settle its commit itself (roll it
-- back): the confirm timer is disarmed first, so that its job cannot roll the
-- device back at the same time (its job returned, for the caller to cancel in
-- this transaction). No row: the owner no longer answers for the change.
WITH old AS (
    SELECT id, confirm_timer_job_id FROM device_change_journal
    WHERE id = @id AND job_id = @job_id AND attempt = @attempt AND closed_at IS NULL
    FOR UPDATE
)
UPDATE device_change_journal j
SET confirm_timer_job_id = NULL, confirm_deadline = NULL, updated_at = now()
FROM old
WHERE j.id = old.id AND j.job_id = @job_id AND j.attempt = @attempt AND j.closed_at IS NULL
RETURNING j.id, old.confirm_timer_job_id AS disarmed_timer_job_id
