-- name: await_confirm_armed :optional
-- params: id bigint, job_id bigint, attempt integer, timer_job_id bigint, timer_seconds float8
-- columns: id bigint
-- The commit of change @id is applied on a device without a confirm timer of
-- its own (frr): the change waits for its confirm, armed with the
-- roll_back_unconfirmed job its owner scheduled in this transaction, due at
-- the deadline (the same now(): the job's scheduled_time). The deadline runs
-- from the end of the apply, as a device's own timer runs from its commit:
-- a long apply (a minute for 1,500 lines on frr) does not eat the confirm
-- window. No row: the owner no longer answers for the change (its
-- transaction then rolls back the job).
UPDATE device_change_journal
SET phase = 'awaiting_confirm', confirm_timer_job_id = @timer_job_id,
    confirm_deadline = now() + make_interval(secs => @timer_seconds), updated_at = now()
WHERE id = @id AND job_id = @job_id AND attempt = @attempt AND closed_at IS NULL
RETURNING id
