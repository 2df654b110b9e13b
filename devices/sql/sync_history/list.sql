-- name: list :many
-- params: hostname text?
-- columns: hostname text, cause text, at_epoch float8, by text, job_id bigint?
-- Every device's events, or @hostname's, oldest first per device.
SELECT hostname, cause, extract(epoch FROM at)::float8 AS at_epoch, by, job_id
FROM device_sync_events
WHERE @hostname::text IS NULL OR hostname = @hostname::text
ORDER BY hostname, id
