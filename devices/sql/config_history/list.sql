-- name: list :many
-- params: hostname text, limit bigint, offset bigint
-- columns: id bigint, hostname text, recorded_at text, job_id bigint?, source text, confhash text, platform text?
-- A device's records, newest first (as get.sql reads one).
SELECT h.id, h.hostname, to_char(h.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS recorded_at,
       h.job_id, h.source, h.confhash, h.platform
FROM device_config_history h
WHERE h.hostname = @hostname
ORDER BY h.id DESC
LIMIT @limit OFFSET @offset
