-- name: job_durations :many
-- columns: function_name text, p50 text, p99 text, total text, jobs bigint
-- Run time of jobs that ended in the last hour, by kind. Seconds as
-- PostgreSQL prints them.
SELECT function_name,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::text AS p50,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::text AS p99,
       sum(d)::text AS total, count(*) AS jobs
FROM (SELECT function_name, extract(epoch FROM finish_time - start_time) AS d FROM jobs
      WHERE finish_time > now() - interval '1 hour' AND start_time IS NOT NULL) x
GROUP BY 1 ORDER BY 1
