-- name: state :optional
-- params: id bigint
-- columns: hostname text, sync_job_id bigint, job_id bigint, phase text, confirm_timer_job_id bigint?, deadline_passed boolean
-- Where change @id is: who answers for it, its phase, its confirm timer.
SELECT hostname, sync_job_id, job_id, phase, confirm_timer_job_id,
       coalesce(confirm_deadline <= now(), false) AS deadline_passed
FROM device_change_journal
WHERE id = @id
