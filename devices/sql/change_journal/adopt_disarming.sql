-- name: adopt_disarming :many
-- params: from_job_id bigint, job_id bigint, attempt integer
-- columns: id bigint, hostname text, sync_job_id bigint, phase text, disarmed_timer_job_id bigint?, unconfirmed boolean
-- As adopt.sql, for a recovery: it settles every change it adopts itself,
-- so their confirm timers are disarmed (their jobs returned, for the caller
-- to cancel in this transaction). A change a timer job already took is no
-- longer @from_job_id's and stays the timer's. What @from_job_id left open
-- without answering for it is adopted too (change_left_by, in the schema,
-- as open_for_job.sql finds it): changes handed to it that it never adopted,
-- and, for a confirm timer job that ended without settling its change, that
-- change. @unconfirmed: the commit waited for a confirm that did not come by
-- its deadline, or its timer job gave it up; it is to be rolled back
-- whatever sync.on_interrupted says. Its deadline stays, in the past, so that
-- a recovery of this recovery rolls it back as well.
WITH old AS (
    SELECT id, phase, confirm_timer_job_id,
           phase = 'awaiting_confirm' AND coalesce(confirm_deadline <= now() OR confirm_timer_job_id = @from_job_id,
                                                    false) AS unconfirmed
    FROM device_change_journal c
    WHERE c.closed_at IS NULL AND change_left_by(c, @from_job_id)
    FOR UPDATE OF c
)
UPDATE device_change_journal j
SET job_id = @job_id, attempt = @attempt, updated_at = now(), confirm_timer_job_id = NULL,
    -- An unconfirmed commit keeps a deadline in the past: a recovery of this
    -- recovery still rolls it back, and no confirm can claim it.
    confirm_deadline = CASE WHEN old.unconfirmed THEN least(j.confirm_deadline, now()) END
FROM old
WHERE j.id = old.id AND j.closed_at IS NULL
RETURNING j.id, j.hostname, j.sync_job_id, j.phase, old.confirm_timer_job_id AS disarmed_timer_job_id, old.unconfirmed
