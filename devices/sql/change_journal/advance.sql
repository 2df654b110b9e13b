-- name: advance :optional
-- params: id bigint, job_id bigint, attempt integer, phase text
-- columns: id bigint, disarmed_timer_job_id bigint?
-- The change @id reached @phase; a closing phase closes it. Only attempt
-- @attempt of job @job_id, which answers for the change, may move it (an
-- attempt whose changes a recovery adopted cannot close them); a closed row
-- stays closed. No row: nothing moved. Any phase but awaiting_confirm
-- settles the commit a confirm timer guarded: the timer is disarmed and its
-- job returned, for the caller to cancel in this transaction; unless the
-- owner is that timer job (it took the change at its deadline), whose entry
-- keeps naming it: the change was settled by its timer.
WITH old AS (
    SELECT id, confirm_timer_job_id FROM device_change_journal
    WHERE id = @id AND job_id = @job_id AND attempt = @attempt AND closed_at IS NULL
    FOR UPDATE
)
UPDATE device_change_journal j
SET phase = @phase, updated_at = now(),
    closed_at = CASE WHEN @phase IN ('pushing', 'committed', 'awaiting_confirm') THEN NULL ELSE now() END,
    confirm_timer_job_id = CASE WHEN @phase = 'awaiting_confirm' OR j.confirm_timer_job_id = @job_id
                                THEN j.confirm_timer_job_id END,
    confirm_deadline = CASE WHEN @phase = 'awaiting_confirm' OR j.confirm_timer_job_id = @job_id
                            THEN j.confirm_deadline END
FROM old
WHERE j.id = old.id AND j.job_id = @job_id AND j.attempt = @attempt AND j.closed_at IS NULL
RETURNING j.id,
          CASE WHEN @phase = 'awaiting_confirm' OR old.confirm_timer_job_id = @job_id THEN NULL
               ELSE old.confirm_timer_job_id END AS disarmed_timer_job_id
