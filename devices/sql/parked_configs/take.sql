-- name: take :optional
-- params: job_id bigint, hostname text
-- columns: read bytea, intended bytea
-- Device @hostname's push starts: its configs come back, and leave the table.
DELETE FROM sync_parked_configs
WHERE job_id = @job_id AND hostname = @hostname
RETURNING read, intended
