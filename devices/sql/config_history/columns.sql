-- The select list of a ConfigRecord (devices/config_history.h), times in
-- ISO 8601 UTC. The queries below follow it with their FROM and WHERE.
SELECT h.id, h.hostname,
       to_char(h.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
       h.job_id, h.source, h.confhash
