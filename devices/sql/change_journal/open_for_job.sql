-- name: open_for_job :many
-- params: job_id bigint
-- columns: hostname text, phase text
-- The changes job @job_id answers for and has not closed, by hostname; and,
-- when @job_id is a confirm timer job (roll_back_unconfirmed), the changes
-- still armed with it: a timer that ended without taking its change (its
-- attempts ran out while another job held the device, or it was aborted)
-- leaves an unconfirmed commit nobody else rolls back.
SELECT hostname, phase FROM device_change_journal
WHERE (job_id = @job_id OR confirm_timer_job_id = @job_id) AND closed_at IS NULL
ORDER BY hostname, id
