-- name: mark_unsynchronized :exec
-- params: hostname text, cause text, by text, job_id bigint?
-- The device is no longer in line with what Switchyard would push, because
-- of @cause: synchronized false, and an event in its sync history when it
-- was synchronized until now or this cause is not recorded yet (a device
-- found drifted on every dry run gets one "confighash" event, not one a run).
-- Its confhash is kept: what was last synced stays the reference for drift.
WITH before AS (
    SELECT hostname, synchronized FROM devices WHERE hostname = @hostname FOR UPDATE
), event AS (
    INSERT INTO device_sync_events (hostname, cause, by, job_id)
    SELECT b.hostname, @cause, @by, @job_id
    FROM before b
    WHERE b.synchronized
       OR NOT EXISTS (SELECT 1 FROM device_sync_events e WHERE e.hostname = b.hostname AND e.cause = @cause)
)
UPDATE devices d SET synchronized = false, updated_time = now()
FROM before b
WHERE d.hostname = b.hostname
