-- name: pushed :optional
-- params: hostname text, job_id bigint?, before text?, skip bigint
-- columns: id bigint, hostname text, recorded_at text, job_id bigint?, source text, confhash text, platform text?
-- A config a job left on the device (source 'pushed', as get.sql reads one),
-- newest first past @skip; only of job @job_id and only recorded before
-- @before (ISO 8601) when given: CNaaS-NMS's previous config
-- (src/cnaas_nms/db/job.py get_previous_config: job_id, previous, before).
SELECT h.id, h.hostname, to_char(h.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS recorded_at,
       h.job_id, h.source, h.confhash, h.platform
FROM device_config_history h
WHERE h.hostname = @hostname AND h.source = 'pushed'
  AND (@job_id::bigint IS NULL OR h.job_id = @job_id::bigint)
  AND (@before::text IS NULL OR h.recorded_at < @before::timestamptz)
ORDER BY h.id DESC
OFFSET @skip
LIMIT 1
