-- name: device_outcomes :many
-- columns: outcome text, devices bigint
-- Device outcomes (failed, ok) of sync jobs that ended in the last hour.
SELECT CASE WHEN (d.value->>'failed')::boolean THEN 'failed' ELSE 'ok' END AS outcome, count(*) AS devices
FROM jobs j, jsonb_each(CASE WHEN jsonb_typeof(j.result->'devices') = 'object'
                             THEN j.result->'devices' ELSE '{}'::jsonb END) d
WHERE j.function_name LIKE 'sync_devices%' AND j.finish_time > now() - interval '1 hour'
GROUP BY 1 ORDER BY 1
