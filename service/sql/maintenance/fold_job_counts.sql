-- name: fold_job_counts :exec
-- Fold the deltas into job_counts, in one statement (one snapshot).
WITH moved AS (DELETE FROM job_count_deltas RETURNING status, function_name, n),
     sums AS (SELECT status, function_name, sum(n)::bigint AS n FROM moved GROUP BY 1, 2)
INSERT INTO job_counts AS c (status, function_name, n)
SELECT status, function_name, n FROM sums
ON CONFLICT (status, function_name) DO UPDATE SET n = c.n + EXCLUDED.n
