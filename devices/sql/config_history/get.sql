-- name: get :optional
-- params: hostname text, id bigint
-- columns: id bigint, hostname text, recorded_at text, job_id bigint?, source text, confhash text, platform text?
-- A ConfigRecord (devices/config_history.h), its time in ISO 8601 UTC.
SELECT h.id, h.hostname, to_char(h.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS recorded_at,
       h.job_id, h.source, h.confhash, h.platform
FROM device_config_history h
WHERE h.hostname = @hostname AND h.id = @id
