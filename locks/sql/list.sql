-- name: list :many
-- columns: name text, job_id bigint, start_time text, abort boolean
SELECT name, job_id, to_json(start_time)#>>'{}' AS start_time, abort FROM job_locks ORDER BY name
