-- name: update_sync :exec
-- params: hostname text, synchronized boolean, confhash text
-- After a device was read or pushed: whether it matches its intended config,
-- the hash of its normalised running config ('' for none), and when we last
-- reached it.
UPDATE devices
SET synchronized = @synchronized, confhash = nullif(@confhash, ''), last_seen = now(), updated_time = now()
WHERE hostname = @hostname
