-- name: job_counts :many
-- columns: status text, function_name text, jobs bigint
-- Jobs by state and kind, from the maintained counts (job_counts, job_count_deltas), not a
-- scan of jobs.
SELECT status, function_name, sum(n)::bigint AS jobs FROM (
    SELECT status, function_name, n FROM job_counts
    UNION ALL SELECT status, function_name, n FROM job_count_deltas) c
GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
