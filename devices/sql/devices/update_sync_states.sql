-- name: update_sync_states :exec
-- params: states json, by text, job_id bigint?
-- @states: a JSON array of {hostname, synchronized, confhash, cause}: each
-- device's state after a job read or pushed it, in one statement (a
-- statement per device cost a round trip each: 10 s for 10,000 devices).
-- Each device gets synchronized, the hash of its normalised running config
-- ('' for none) and last_seen now. One not synchronized for a `cause`
-- ("confighash", "syncto_dryrun", ...) also gets an event in its sync
-- history when it was synchronized until now or this cause is not recorded
-- yet (a device found drifted on every dry run gets one "confighash" event,
-- not one a run). Devices no longer in the inventory are skipped. Rows are
-- locked in hostname order, as jobs over overlapping devices lock them.
WITH input AS (
    SELECT s.hostname, s.synchronized, s.confhash, coalesce(s.cause, '') AS cause
    FROM json_to_recordset(@states::json) AS s(hostname text, synchronized boolean, confhash text, cause text)
), before AS (
    SELECT d.hostname, d.synchronized
    FROM devices d
    WHERE d.hostname IN (SELECT hostname FROM input)
    ORDER BY d.hostname
    FOR UPDATE
), event AS (
    INSERT INTO device_sync_events (hostname, cause, by, job_id)
    SELECT i.hostname, i.cause, @by, @job_id
    FROM input i
    JOIN before b ON b.hostname = i.hostname
    WHERE NOT i.synchronized AND i.cause <> ''
      AND (b.synchronized
           OR NOT EXISTS (SELECT 1 FROM device_sync_events e WHERE e.hostname = i.hostname AND e.cause = i.cause))
)
UPDATE devices d
SET synchronized = i.synchronized, confhash = nullif(i.confhash, ''), last_seen = now(), updated_time = now()
FROM input i
JOIN before b ON b.hostname = i.hostname
WHERE d.hostname = i.hostname
