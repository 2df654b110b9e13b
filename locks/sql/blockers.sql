-- name: blockers :many
-- params: names text[], job_id bigint, attempt integer
-- columns: name text, job_id bigint, function_name text?
-- The binding locks of other attempts that keep @names from this attempt:
-- the same names, and, between the global lock `devices` and any device lock
-- (`device:<hostname>`), each excludes every other. In name order.
SELECT l.name, l.job_id, j.function_name
FROM job_locks l LEFT JOIN jobs j ON j.id = l.job_id
WHERE NOT (l.job_id = @job_id AND l.attempt = @attempt)
  AND job_lock_is_live(l.job_id, l.attempt)
  AND (l.name = ANY (@names::text[])
       OR (l.name = 'devices' AND EXISTS (SELECT 1 FROM unnest(@names::text[]) AS n WHERE starts_with(n, 'device:')))
       OR (starts_with(l.name, 'device:') AND 'devices' = ANY (@names::text[])))
ORDER BY l.name
