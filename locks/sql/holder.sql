-- name: holder :optional
-- params: name text
-- columns: job_id bigint, function_name text?
-- function_name is NULL when the lock's job was deleted meanwhile.
SELECT l.job_id, j.function_name
FROM job_locks l LEFT JOIN jobs j ON j.id = l.job_id
WHERE l.name = @name
