-- Running jobs whose worker is dead or unknown.
SELECT j.id, j.status, j.attempt, j.max_attempts, j.retry_safe, j.function_name,
       coalesce(w.hostname, '?'), coalesce(w.pid, 0), coalesce(w.dead_reason, 'its claim never reached a worker (connection lost)'), j.worker_id
FROM jobs j LEFT JOIN workers w ON w.id = j.worker_id
WHERE j.status IN ('RUNNING', 'ABORTING') AND (w.id IS NULL OR w.dead_at IS NOT NULL)
ORDER BY j.id
LIMIT 1000
FOR UPDATE OF j SKIP LOCKED
