-- name: open_on_devices :many
-- params: hostnames text[], job_id bigint
-- columns: id bigint, hostname text, job_id bigint, sync_job_id bigint, phase text, confirm_timer_job_id bigint?
-- The changes still open on devices @hostnames that another job than @job_id
-- answers for: a commit waiting for its confirm (its confirm job could not
-- reach the device; its timer job rolls it back at the deadline), or one a
-- recovery has yet to settle. No job may push over them.
SELECT id, hostname, job_id, sync_job_id, phase, confirm_timer_job_id
FROM device_change_journal
WHERE hostname = ANY(@hostnames::text[]) AND closed_at IS NULL AND job_id <> @job_id
ORDER BY hostname, id
