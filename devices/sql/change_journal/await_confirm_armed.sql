-- name: arm_timer :optional
-- params: id bigint, job_id bigint, attempt integer, timer_job_id bigint, timer_seconds float8
-- columns: id bigint
-- Before a commit on a device without a confirm timer of its own (frr), the
-- owner of change @id records the roll_back_unconfirmed job it scheduled at
-- the deadline (the same now(): the job's scheduled_time). No row: the owner
-- no longer answers for the change (its transaction then rolls back the job).
UPDATE device_change_journal
SET confirm_timer_job_id = @timer_job_id, confirm_deadline = now() + make_interval(secs => @timer_seconds),
    updated_at = now()
WHERE id = @id AND job_id = @job_id AND attempt = @attempt AND closed_at IS NULL
RETURNING id
