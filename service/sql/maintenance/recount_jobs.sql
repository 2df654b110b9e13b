-- name: recount_jobs :script
-- Rebuild the counts from the table (after a bulk load that bypassed triggers).
DELETE FROM job_count_deltas;
DELETE FROM job_counts;
INSERT INTO job_counts SELECT status, function_name, count(*) FROM jobs GROUP BY 1, 2;
