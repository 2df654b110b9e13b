-- name: lost_jobs :many
-- columns: id bigint, status text, attempt integer, max_attempts integer, retry_safe boolean, function_name text,
--          hostname text, pid integer, dead_reason text, worker_id bigint?, worker_deaths smallint,
--          worker_died boolean, scheduled_by text?
-- Running jobs whose worker is dead or unknown. worker_died is false for a
-- claim that never reached a worker (no worker_id: nobody died running it)
-- and for a worker that stopped on purpose and left the job behind.
SELECT j.id, j.status, j.attempt, j.max_attempts, j.retry_safe, j.function_name,
       coalesce(w.hostname, '?') AS hostname, coalesce(w.pid, 0) AS pid,
       coalesce(w.dead_reason, 'its claim never reached a worker (connection lost)') AS dead_reason, j.worker_id,
       j.worker_deaths, (j.worker_id IS NOT NULL AND NOT coalesce(w.retired, false)) AS worker_died,
       j.scheduled_by
FROM jobs j LEFT JOIN workers w ON w.id = j.worker_id
WHERE j.status IN ('RUNNING', 'ABORTING') AND (w.id IS NULL OR w.dead_at IS NOT NULL)
ORDER BY j.id
LIMIT 1000
FOR UPDATE OF j SKIP LOCKED
