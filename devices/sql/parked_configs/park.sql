-- name: park :exec
-- params: job_id bigint, hostname text, read bytea, intended bytea
-- Device @hostname of live sync @job_id was read: its configs wait for its
-- push. A second attempt of the same job replaces what the first left.
INSERT INTO sync_parked_configs (job_id, hostname, read, intended)
VALUES (@job_id, @hostname, @read, @intended)
ON CONFLICT (job_id, hostname) DO UPDATE SET read = excluded.read, intended = excluded.intended
