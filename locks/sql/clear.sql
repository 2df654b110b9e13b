-- name: clear :optional
-- params: name text
-- columns: name text, job_id bigint
DELETE FROM job_locks WHERE name = @name RETURNING name, job_id
