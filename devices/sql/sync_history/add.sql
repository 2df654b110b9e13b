-- name: add :exec
-- params: hostname text, cause text, by text, job_id bigint?, at_epoch float8?
-- One event for a device in the inventory (none when it is not); at
-- @at_epoch (seconds since the epoch) or now.
INSERT INTO device_sync_events (hostname, cause, by, job_id, at)
SELECT d.hostname, @cause, @by, @job_id, coalesce(to_timestamp(@at_epoch::float8), now())
FROM devices d
WHERE d.hostname = @hostname
