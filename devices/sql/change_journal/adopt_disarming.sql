-- name: adopt_disarming :many
-- params: from_job_id bigint, job_id bigint, attempt integer
-- columns: id bigint, hostname text, sync_job_id bigint, phase text, disarmed_timer_job_id bigint?
-- As adopt.sql, for a recovery: it settles every change it adopts itself,
-- so their confirm timers are disarmed (their jobs returned, for the caller
-- to cancel in this transaction). A change a timer job already took is no
-- longer @from_job_id's and stays the timer's.
WITH old AS (
    SELECT id, confirm_timer_job_id FROM device_change_journal
    WHERE job_id = @from_job_id AND closed_at IS NULL
    FOR UPDATE
)
UPDATE device_change_journal j
SET job_id = @job_id, attempt = @attempt, updated_at = now(), confirm_timer_job_id = NULL, confirm_deadline = NULL
FROM old
WHERE j.id = old.id AND j.job_id = @from_job_id AND j.closed_at IS NULL
RETURNING j.id, j.hostname, j.sync_job_id, j.phase, old.confirm_timer_job_id AS disarmed_timer_job_id
