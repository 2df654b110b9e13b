-- The newest $1 jobs, newest first, for `switchyard jobs list`.
SELECT id, function_name, status, attempt, max_attempts,
       coalesce(round(extract(epoch FROM coalesce(finish_time, now()) - start_time)::numeric, 2)::text, '-'),
       coalesce(exception->>'message', result->>'message', '')
FROM jobs ORDER BY id DESC LIMIT $1
