-- name: list :many
-- columns: hostname text, management_ip text, port integer, platform text, device_type text, state text,
--          synchronized boolean, confhash text, last_seen_epoch float8?, groups jsonb
-- Every device, as get.sql reads one.
SELECT hostname, host(management_ip) AS management_ip, port, platform, device_type, state, synchronized,
       coalesce(confhash, '') AS confhash, extract(epoch FROM last_seen)::float8 AS last_seen_epoch,
       to_jsonb(groups) AS groups
FROM devices
ORDER BY hostname
