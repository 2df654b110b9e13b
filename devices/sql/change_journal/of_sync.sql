-- name: of_sync :optional
-- params: sync_job_id bigint, hostname text
-- columns: id bigint
-- The latest change live sync @sync_job_id made on device @hostname.
SELECT id FROM device_change_journal
WHERE sync_job_id = @sync_job_id AND hostname = @hostname
ORDER BY id DESC
LIMIT 1
