-- name: open_for_job :many
-- params: job_id bigint
-- columns: hostname text, phase text
-- The changes job @job_id answers for and has not closed, by hostname.
SELECT hostname, phase FROM device_change_journal
WHERE job_id = @job_id AND closed_at IS NULL
ORDER BY hostname, id
