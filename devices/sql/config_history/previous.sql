-- name: previous :optional
-- params: hostname text, id bigint
-- columns: id bigint, hostname text, recorded_at text, job_id bigint?, source text, confhash text, platform text?
-- The newest record before @id whose config differs (as get.sql reads one).
SELECT h.id, h.hostname, to_char(h.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS recorded_at,
       h.job_id, h.source, h.confhash, h.platform
FROM device_config_history h
JOIN device_config_history this ON this.hostname = @hostname AND this.id = @id
WHERE h.hostname = @hostname AND h.id < @id AND h.confhash <> this.confhash
ORDER BY h.id DESC
LIMIT 1
