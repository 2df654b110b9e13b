SELECT l.job_id, j.function_name, l.start_time
FROM job_locks l LEFT JOIN jobs j ON j.id = l.job_id
WHERE l.name = $1
