-- After a device was read or pushed: whether it matches its intended config,
-- the hash of its normalised running config, and when we last reached it.
UPDATE devices
SET synchronized = $2, confhash = nullif($3, ''), last_seen = now(), updated_time = now()
WHERE hostname = $1
